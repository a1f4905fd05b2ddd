"""The database: one Store over sqlite-utils, its schema and its workers.

sqlite-utils imports numpy (and pandas) whenever they are installed, only to map their number
types to column types in its insert API, which we never give numpy values; numpy is installed
for ``bot.ranking`` and costs the command line 70 ms of start-up. So sqlite-utils is loaded here
first, with the two hidden from it, unless something already imported numpy.
"""

import sys

if "sqlite_utils" not in sys.modules and "numpy" not in sys.modules:
    _hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for _name in _hidden:
        sys.modules[_name] = None  # type: ignore[assignment]  # None: importing it fails
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for _name in _hidden:
            del sys.modules[_name]
