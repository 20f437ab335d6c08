"""Chinese fonts for matplotlib charts.

matplotlib ships no CJK font, so Chinese titles would render as empty boxes
("Glyph missing"). aexl bundles Noto Sans CJK SC Regular (SIL OFL 1.1, see
``aexl/fonts/``) and registers it with matplotlib's font manager the first
time a chart is drawn. Fonts the machine already has and that Chinese
clients expect (Microsoft YaHei, SimHei, PingFang SC) come first in the
family list; the bundled font is the fallback that is always there.

Nothing here imports matplotlib at module import time.
"""

from __future__ import annotations

import functools
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
BUNDLED_FONT = FONT_DIR / "NotoSansCJKsc-Regular.otf"
BUNDLED_FAMILY = "Noto Sans CJK SC"
PREFERRED_FAMILIES = (
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Source Han Sans SC",
    "Noto Sans SC",
)
LATIN_FALLBACK = "DejaVu Sans"  # always shipped with matplotlib


@functools.cache
def register_bundled_font() -> str:
    """Add the bundled Noto Sans CJK SC to matplotlib (once); return its family name."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(BUNDLED_FONT))
    return font_manager.FontProperties(fname=str(BUNDLED_FONT)).get_name() or BUNDLED_FAMILY


@functools.cache
def _cjk_families() -> tuple[str, ...]:
    from matplotlib import font_manager

    bundled = register_bundled_font()
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    chosen = [name for name in PREFERRED_FAMILIES if name in installed and name != bundled]
    return (*chosen, bundled, LATIN_FALLBACK)


def cjk_families() -> list[str]:
    """matplotlib ``font.family`` list: installed Chinese UI fonts, then the bundled one."""
    return list(_cjk_families())
