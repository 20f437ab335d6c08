"""Structural checks of the built ribbon XML (customUI) and the Office.js manifest.

Microsoft publishes the customUI and manifest XSDs only inside its Open
Specifications, whose terms do not clearly allow keeping copies here; these
checks fail on the mistakes those schemas catch: unknown element or
attribute names, elements in the wrong parent, ids that are missing,
duplicated or not NCNames, over-long texts, bad enumerations, callbacks
with no VBA ``Sub`` of the right signature, manifest resources referenced
but not declared (or declared twice), non-HTTPS URLs.

Each function returns a list of problems (empty: fine); tests read the
BUILT files (the .xlam's part, the served manifest), not the sources.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

CUSTOMUI_NAMESPACES = (
    "http://schemas.microsoft.com/office/2009/07/customui",
    "http://schemas.microsoft.com/office/2006/01/customui",
)
CONTROLS = {
    "button", "toggleButton", "checkBox", "editBox", "comboBox", "dropDown", "gallery",
    "menu", "dynamicMenu", "splitButton", "box", "buttonGroup", "separator", "labelControl",
    "control",
}  # fmt: skip
CHILDREN = {
    "customUI": {"commands", "ribbon", "backstage", "contextMenus"},
    "commands": {"command"},
    "ribbon": {"officeMenu", "qat", "tabs", "contextualTabs"},
    "tabs": {"tab"},
    "contextualTabs": {"tabSet"},
    "tabSet": {"tab"},
    "tab": {"group"},
    "group": CONTROLS | {"dialogBoxLauncher"},
    "box": CONTROLS - {"separator"},
    "buttonGroup": {"button", "toggleButton", "gallery", "menu", "dynamicMenu", "splitButton", "control"},
    "menu": {"button", "toggleButton", "checkBox", "gallery", "menu", "dynamicMenu", "splitButton", "menuSeparator", "control"},
    "splitButton": {"button", "toggleButton", "menu"},
    "dropDown": {"item", "button"},
    "comboBox": {"item"},
    "gallery": {"item", "button"},
    "dialogBoxLauncher": {"button"},
    "qat": {"sharedControls", "documentControls"},
}  # fmt: skip
COMMON_ATTRS = {
    "id", "idMso", "idQ", "tag", "label", "getLabel", "visible", "getVisible", "enabled",
    "getEnabled", "keytip", "getKeytip", "screentip", "getScreentip", "supertip",
    "getSupertip", "insertAfterMso", "insertBeforeMso", "insertAfterQ", "insertBeforeQ",
    "image", "imageMso", "getImage", "showImage", "getShowImage", "showLabel",
    "getShowLabel", "size", "getSize", "onAction", "description", "getDescription",
}  # fmt: skip
EXTRA_ATTRS = {
    "customUI": {"onLoad", "loadImage", "xmlns"},
    "ribbon": {"startFromScratch"},
    "group": {"autoScale", "centerVertically"},
    "toggleButton": {"getPressed"},
    "checkBox": {"getPressed"},
    "editBox": {"getText", "onChange", "maxLength", "sizeString"},
    "comboBox": {"getText", "onChange", "maxLength", "sizeString", "getItemCount", "getItemLabel", "getItemID"},
    "dropDown": {"getSelectedItemID", "getSelectedItemIndex", "getItemCount", "getItemLabel", "getItemID", "sizeString", "showItemLabel"},
    "box": {"boxStyle"},
    "menu": {"itemSize"},
    "dynamicMenu": {"getContent", "invalidateContentOnDrop"},
}  # fmt: skip
ID_RE = re.compile(r"^[A-Za-z_][\w.\-]*$")  # NCName
SIZES = {"normal", "large"}
LIMITS = {"label": 1024, "screentip": 1024, "supertip": 1024, "description": 4096}
ON_ACTION_SIG = {
    "button": "control As IRibbonControl",
    "toggleButton": "control As IRibbonControl, pressed As Boolean",
    "checkBox": "control As IRibbonControl, pressed As Boolean",
}
SUB_RE = re.compile(r"^\s*(?:Public\s+)?Sub\s+(\w+)\s*\(([^)]*)\)", re.I | re.M)


def _local(tag: str) -> tuple[str, str]:
    ns, _, name = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return ns, name


def vba_subs(sources: dict[str, str]) -> dict[str, str]:
    """{Sub name: its parameter list, spaces normalised} over every VBA module."""
    out = {}
    for source in sources.values():
        for match in SUB_RE.finditer(source):
            out[match.group(1)] = " ".join(match.group(2).split())
    return out


def customui_problems(xml: bytes | str, vba: dict[str, str] | None = None) -> list[str]:
    """Problems of a customUI part; with ``vba`` ({module: source}) callbacks are checked too."""
    problems: list[str] = []
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    ns, name = _local(root.tag)
    if name != "customUI" or ns not in CUSTOMUI_NAMESPACES:
        problems.append(f"root is {root.tag}, not customUI in a customUI namespace")
    subs = vba_subs(vba) if vba is not None else None
    ids: dict[str, int] = {}
    _walk(root, ns, None, ids, subs, problems)
    problems += [f"id {i!r} used {n} times" for i, n in ids.items() if n > 1]
    return problems


def _walk(element, ns, parent, ids, subs, problems) -> None:
    el_ns, name = _local(element.tag)
    where = f"<{name} id={element.get('id') or element.get('idMso')!r}>"
    if el_ns != ns:
        problems.append(f"{where}: namespace {el_ns!r} differs from the root's")
    if parent is not None and name not in CHILDREN.get(parent, set()):
        problems.append(f"{where}: <{name}> is not allowed in <{parent}>")
    allowed = COMMON_ATTRS | EXTRA_ATTRS.get(name, set())
    for attr, value in element.attrib.items():
        if attr not in allowed:
            problems.append(f"{where}: unknown attribute {attr!r}")
        if attr in LIMITS and len(value) > LIMITS[attr]:
            problems.append(f"{where}: {attr} longer than {LIMITS[attr]}")
        if attr == "size" and value not in SIZES:
            problems.append(f"{where}: size {value!r} is not normal/large")
        if attr == "keytip" and not 1 <= len(value) <= 3:
            problems.append(f"{where}: keytip must be 1-3 characters")
        if subs is not None and (attr.startswith(("on", "get")) or attr == "loadImage"):
            _check_callback(where, name, attr, value, subs, problems)
    if name in {"tab", "group", "tabSet", "command"} | CONTROLS | {"item"}:
        given = [a for a in ("id", "idMso", "idQ") if element.get(a)]
        if name not in {"separator", "item", "box"} and len(given) != 1:
            problems.append(f"{where}: needs exactly one of id / idMso / idQ, has {given}")
    if element.get("id") is not None:
        if not ID_RE.match(element.get("id")) or len(element.get("id")) > 1024:
            problems.append(f"{where}: id is not an NCName of at most 1024 characters")
        ids[element.get("id")] = ids.get(element.get("id"), 0) + 1
    if element.get("image") and element.get("imageMso"):
        problems.append(f"{where}: both image and imageMso")
    for child in element:
        _walk(child, ns, name, ids, subs, problems)


def _check_callback(where, element, attr, value, subs, problems) -> None:
    if value not in subs:
        problems.append(f"{where}: {attr}={value!r} has no VBA Sub")
        return
    expected = ON_ACTION_SIG.get(element) if attr == "onAction" else None
    if attr == "onLoad":
        expected = "ribbon As IRibbonUI"
    if expected is not None and subs[value].lower() != expected.lower():
        problems.append(f"{where}: Sub {value}({subs[value]}) should be ({expected})")


# --- Office.js manifest --------------------------------------------------------------------

OFFICE_NS = "http://schemas.microsoft.com/office/appforoffice/1.1"
BT_NS = "http://schemas.microsoft.com/office/officeappbasictypes/1.0"
XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
MANIFEST_ORDER = [
    "Id", "AlternateId", "Version", "ProviderName", "DefaultLocale", "DisplayName",
    "Description", "IconUrl", "HighResolutionIconUrl", "SupportUrl", "AppDomains", "Hosts",
    "Requirements", "DefaultSettings", "Permissions", "VersionOverrides",
]  # fmt: skip
GUID_RE = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
VERSION_RE = re.compile(r"^\d{1,5}(\.\d{1,5}){0,3}$")
RESOURCE_KINDS = {"Images": 2048, "Urls": 2048, "ShortStrings": 125, "LongStrings": 250}


def manifest_problems(xml: bytes | str) -> list[str]:
    """Problems of an Office add-in manifest (the parts the schema requires)."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    problems: list[str] = []
    if root.tag != f"{{{OFFICE_NS}}}OfficeApp":
        problems.append(f"root is {root.tag}, not OfficeApp")
    if root.get(XSI_TYPE) != "TaskPaneApp":
        problems.append("OfficeApp xsi:type is not TaskPaneApp")
    order = [_local(child.tag)[1] for child in root]
    unknown = [name for name in order if name not in MANIFEST_ORDER]
    problems += [f"unknown OfficeApp child <{name}>" for name in unknown]
    known = [MANIFEST_ORDER.index(name) for name in order if name in MANIFEST_ORDER]
    if known != sorted(known):
        problems.append(f"OfficeApp children out of schema order: {order}")
    for required in ("Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl", "Permissions"):  # fmt: skip
        if required not in order:
            problems.append(f"missing <{required}>")
    ident = root.find(f"{{{OFFICE_NS}}}Id")
    if ident is not None and not GUID_RE.match((ident.text or "").strip()):
        problems.append(f"Id {ident.text!r} is not a GUID")
    version = root.find(f"{{{OFFICE_NS}}}Version")
    if version is not None and not VERSION_RE.match((version.text or "").strip()):
        problems.append(f"Version {version.text!r} is not n.n.n.n")
    problems += _resource_problems(root)
    problems += _control_problems(root)
    url_elements = {"IconUrl", "HighResolutionIconUrl", "SupportUrl", "SourceLocation", "Url"}
    for element in root.iter():
        name = _local(element.tag)[1]
        value = element.get("DefaultValue") or (element.text or "").strip()
        if name in url_elements and value and not value.startswith("https://"):
            problems.append(f"<{name}> {value!r} is not https://")
    return problems


def _resource_problems(root) -> list[str]:
    problems = []
    declared: dict[str, str] = {}
    for kind, limit in RESOURCE_KINDS.items():
        for item in root.iter(f"{{{BT_NS}}}{kind}"):
            for res in item:
                rid = res.get("id") or ""
                if rid in declared:
                    problems.append(f"resource id {rid!r} declared twice")
                declared[rid] = kind
                if not 1 <= len(rid) <= 32:
                    problems.append(f"resource id {rid!r} is not 1-32 characters")
                if len(res.get("DefaultValue") or "") > limit:
                    problems.append(f"{kind} {rid!r} longer than {limit}")
    for element in root.iter():
        rid = element.get("resid")
        if rid is not None and rid not in declared:
            problems.append(f"<{_local(element.tag)[1]}> resid {rid!r} is not declared")
    return problems


def _control_problems(root) -> list[str]:
    problems, seen = [], set()
    for element in root.iter():
        name = _local(element.tag)[1]
        if name in {"CustomTab", "Group", "Control"}:
            cid = element.get("id") or ""
            if cid in seen:
                problems.append(f"<{name}> id {cid!r} used twice")
            seen.add(cid)
            if not cid or len(cid) > 125:
                problems.append(f"<{name}> id {cid!r} is empty or longer than 125")
        if name == "Action" and element.get(XSI_TYPE) == "ExecuteFunction":
            func = next((c for c in element if _local(c.tag)[1] == "FunctionName"), None)
            if func is None or not (func.text or "").strip():
                problems.append("ExecuteFunction action without a FunctionName")
    return problems
