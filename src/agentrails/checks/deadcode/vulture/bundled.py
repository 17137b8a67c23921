"""The names that vulture 2.16's bundled whitelists use, by the import that pulls each in.

Vulture scans ``whitelists/<name>_whitelist.py`` from its package for every distinct name an
import binds anywhere in the project (``import sys``, ``from x import string``; not in
``__init__.py`` files, not hidden by ``# noqa`` or ``ignore-names``), and every name that file
uses counts as used. The whitelists only use names, so their uses are all that matters here;
``tests/checks/deadcode/test_dead_code_engine.py`` checks this table against the installed vulture.
"""

from __future__ import annotations

BUNDLED_WHITELISTS: dict[str, frozenset[str]] = {
    "argparse": frozenset([
        "ArgumentDefaultsHelpFormatter", "ArgumentParser", "_fill_text", "_get_help_string",
        "argparse", "epilog",
    ]),
    "ast": frozenset([
        "Whitelist", "visit_Assert", "visit_Assign", "visit_AsyncFor", "visit_AsyncFunctionDef",
        "visit_AsyncWith", "visit_Attribute", "visit_AugAssign", "visit_Await", "visit_BinOp",
        "visit_BoolOp", "visit_Bytes", "visit_Call", "visit_ClassDef", "visit_Compare",
        "visit_Constant", "visit_Delete", "visit_Dict", "visit_DictComp", "visit_ExceptHandler",
        "visit_Exec", "visit_Expr", "visit_Expression", "visit_ExtSlice", "visit_For",
        "visit_FunctionDef", "visit_GeneratorExp", "visit_Global", "visit_If", "visit_IfExp",
        "visit_Import", "visit_ImportFrom", "visit_Index", "visit_Interactive", "visit_Lambda",
        "visit_List", "visit_ListComp", "visit_MatchClass", "visit_Module", "visit_Name",
        "visit_NameConstant", "visit_Nonlocal", "visit_Num", "visit_Print", "visit_Raise",
        "visit_Repr", "visit_Return", "visit_Set", "visit_SetComp", "visit_Slice", "visit_Starred",
        "visit_Str", "visit_Subscript", "visit_Suite", "visit_Try", "visit_TryExcept",
        "visit_TryFinally", "visit_Tuple", "visit_UnaryOp", "visit_While", "visit_With",
        "visit_Yield", "visit_YieldFrom", "visit_alias", "visit_arg", "visit_arguments",
        "visit_comprehension", "visit_keyword", "whitelist_node_visitor",
    ]),
    "collections": frozenset([
        "collections", "default_factory", "defaultdict",
    ]),
    "ctypes": frozenset([
        "_CFuncPtr", "_Pointer", "argtypes", "contents", "errcheck", "restype",
    ]),
    "enum": frozenset([
        "Enum", "EnumWhitelist", "_name_", "_value_", "enum",
    ]),
    "logging": frozenset([
        "Filter", "StreamHandler", "emit", "filter", "getLogger", "logging", "propagate",
    ]),
    "pint": frozenset([
        "UnitRegistry", "default_format", "pint", "ureg",
    ]),
    "socketserver": frozenset([
        "TCPServer", "allow_reuse_address", "socketserver",
    ]),
    "ssl": frozenset([
        "SSLContext", "check_hostname", "ctx", "hostname_checks_common_name", "keylog_filename",
        "maximum_version", "minimum_version", "options", "post_handshake_auth", "sni_callback",
        "ssl", "sslobject_class", "sslsocket_class", "verify_flags", "verify_mode",
    ]),
    "string": frozenset([
        "Formatter", "check_unused_args", "convert_field", "format", "format_field", "get_field",
        "get_value", "parse", "string", "vformat",
    ]),
    "sys": frozenset([
        "excepthook", "stderr", "stdin", "stdout", "sys",
    ]),
    "threading": frozenset([
        "Thread", "daemon", "name", "run", "threading",
    ]),
    "unittest": frozenset([
        "MagicMock", "Mock", "TestCase", "debug", "failureException", "longMessage", "maxDiff",
        "mock", "return_value", "run", "setUp", "setUpClass", "side_effect", "skipTest", "subTest",
        "tearDown", "tearDownClass",
    ]),
}
