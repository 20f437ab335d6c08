"""The 签核 sheet's 角色: the signer belongs to the department of the step signed."""

from __future__ import annotations

from aexl import schema
from aexl.rules import normalise_step
from aexl.validate.base import WARNING, Context, is_missing

SIGNOFFS = schema.SIGNOFFS.sheet

# Roles: the 角色 column names the department of the person who signed. AD is
# the art director, CD the creative director — not the account director
# (客户总监), who belongs to the account team (PRODUCT.md §2).
_ROLE_FAMILY = {
    **dict.fromkeys(
        ("AE", "AM", "客户主任", "客户经理", "客户总监", "客户执行", "客户部", "客服",
         "ACCOUNTEXECUTIVE", "ACCOUNTMANAGER", "ACCOUNTDIRECTOR"),
        "account",
    ),
    **dict.fromkeys(("AD", "美术指导", "艺术指导", "美指", "ARTDIRECTOR"), "art"),
    **dict.fromkeys(("CD", "创意总监", "执行创意总监", "ECD", "CREATIVEDIRECTOR"), "creative"),
    **dict.fromkeys(("文案", "文案人员", "资深文案", "COPY", "COPYWRITE", "COPYWRITER"), "copy"),
    **dict.fromkeys(("电脑", "电脑美工", "电脑人员", "美工", "完稿", "完稿人员"), "finish"),
    **dict.fromkeys(
        ("客户", "客户方", "客户代表", "客户品牌经理", "品牌经理", "客户项目负责人"), "client"
    ),
}  # fmt: skip
_STEP_FAMILY = {
    "AE": "account", "AE确认": "account", "AD": "art", "AD审核": "art", "AD确认": "art",
    "CD": "creative", "CD审核": "creative", "文案": "copy", "电脑": "finish",
    "客户确认": "client",
}  # fmt: skip
_FAMILY_NAME = {
    "account": "客户部人员（AE/客户主任/客户经理/客户总监）",
    "art": "美术指导（AD）",
    "creative": "创意总监（CD）",
    "copy": "文案人员",
    "finish": "电脑美工",
    "client": "客户方",
}


def _role_family(text):
    if not isinstance(text, str):
        return None
    return _ROLE_FAMILY.get("".join(text.split()).upper())


def check_roles(ctx: Context, steps, known) -> None:
    """角色 (when filled with a known role) belongs to the step's department (``steps``
    read by ``rules.normalise_step``; only where ``known`` is a step of its flow)."""
    import numpy as np

    families: dict = {}  # role → its family, once per distinct role
    mask = []
    roles = ctx.values(SIGNOFFS, "角色").tolist()
    for role, step, ok in zip(roles, steps.tolist(), known.tolist(), strict=True):
        step_family = _STEP_FAMILY.get(step) if ok else None
        if step_family is None or is_missing(role):
            mask.append(False)
            continue
        if role not in families:
            families[role] = _role_family(role)
        mask.append(families[role] is not None and families[role] != step_family)
    mask = np.array(mask, dtype=bool)
    ctx.emit(
        SIGNOFFS,
        mask,
        "角色",
        WARNING,
        "sign.role_mismatch",
        _role_message,
        fields=["步骤", "流程", "角色"],
    )


def _role_message(r: dict) -> str:
    step_family = _STEP_FAMILY[normalise_step(r["步骤"], r["流程"])]
    head = (
        f"「{r['步骤']}」应由{_FAMILY_NAME[step_family]}签核，"
        f"但「角色」是「{r['角色']}」（{_FAMILY_NAME[_role_family(r['角色'])]}）："
    )
    if step_family == "client":  # 客户经理 is the agency's AM, but may mean the client's manager
        return head + (
            "客户确认须由客户方签名，客户部人员不能代签；如签名人是客户方的经理，"
            "请在「角色」写「客户方」或其职务（如 品牌经理）。"
        )
    return head + (
        "签核链中 AD 是美术指导、CD 是创意总监，不是客户总监；"
        "请由该步骤的负责人签核，或更正本行的「步骤」/「角色」。"
    )
