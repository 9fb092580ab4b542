"""Steps and expressions <-> plain JSON values, decoded strictly.

Every node is an object with a tag (``"kind"`` for expressions, ``"step"`` for
steps) and the fields of one table row below. Decoding rejects unknown tags,
unknown keys, missing required keys, wrong types and nesting deeper than the
subset allows, with a message that says where (``program[2].value.args[0]``).
It only builds dataclasses; the subset's rules run afterwards
(``rules.validate_program``), exactly as for parsed source.

Table grammar: ``tag: (class, ((json key, field kind, default), ...))``, where a
default of ``REQUIRED`` means the key must be present and the field kinds are
``expr``, ``expr?`` (or null), ``exprs``, ``keywords``, ``str``, ``str?``, ``strs``,
``bool``, ``const`` (a literal value) and ``steps``.
"""
from .expressions import (
    Attribute,
    BinOp,
    BoolOp,
    Compare,
    Constant,
    EllipsisLiteral,
    FormattedValue,
    FString,
    FunctionCall,
    IfExp,
    Keyword,
    Lambda,
    ListExpr,
    MethodCall,
    ModulePath,
    Name,
    PyExpr,
    Slice,
    Subscript,
    TupleExpr,
    UnaryOp,
)
from .steps import (
    Assign,
    AttrAssign,
    AugAssign,
    Break,
    Code,
    Continue,
    ExprStatement,
    For,
    FutureImport,
    If,
    Import,
    IndexAssign,
    Pass,
    While,
    With,
)

REQUIRED = object()
MAX_JSON_DEPTH = 120  # JSON levels: about two per expression level, plus steps

EXPRESSIONS = {
    "name": (Name, (("id", "str", REQUIRED),)),
    "constant": (Constant, (("value", "const", REQUIRED),)),
    "ellipsis": (EllipsisLiteral, ()),
    "module": (ModulePath, (("path", "strs", REQUIRED),)),
    "tuple": (TupleExpr, (("elements", "exprs", ()),)),
    "list": (ListExpr, (("elements", "exprs", ()),)),
    "attribute": (Attribute, (("value", "expr", REQUIRED), ("attr", "str", REQUIRED))),
    "subscript": (Subscript, (("value", "expr", REQUIRED), ("index", "expr", REQUIRED))),
    "slice": (Slice, (("lower", "expr?", None), ("upper", "expr?", None), ("step", "expr?", None))),
    "call": (FunctionCall, (("function", "strs", REQUIRED), ("args", "exprs", ()),
                            ("keywords", "keywords", ()))),
    "method": (MethodCall, (("receiver", "expr", REQUIRED), ("method", "str", REQUIRED),
                            ("args", "exprs", ()), ("keywords", "keywords", ()))),
    "binop": (BinOp, (("op", "str", REQUIRED), ("left", "expr", REQUIRED),
                      ("right", "expr", REQUIRED))),
    "unary": (UnaryOp, (("op", "str", REQUIRED), ("operand", "expr", REQUIRED))),
    "compare": (Compare, (("left", "expr", REQUIRED), ("ops", "strs", REQUIRED),
                          ("comparators", "exprs", REQUIRED))),
    "boolop": (BoolOp, (("op", "str", REQUIRED), ("values", "exprs", REQUIRED))),
    "ifexp": (IfExp, (("test", "expr", REQUIRED), ("body", "expr", REQUIRED),
                      ("orelse", "expr", REQUIRED))),
    "lambda": (Lambda, (("params", "strs", REQUIRED), ("body", "expr", REQUIRED))),
    "fstring": (FString, (("parts", "exprs", REQUIRED),)),
    "python": (PyExpr, (("source", "str", REQUIRED),)),
    "formatted": (FormattedValue, (("value", "expr", REQUIRED), ("conversion", "str?", None),
                                   ("spec", "str?", None))),
}

_COMMON_STEP_FIELDS = (("line", "int", 0), ("disabled", "bool", False))

STEPS = {
    "import": (Import, (("module", "str", REQUIRED), ("alias", "str?", None))),
    "future_import": (FutureImport, (("features", "strs", REQUIRED),)),
    "assign": (Assign, (("targets", "strs", REQUIRED), ("value", "expr", REQUIRED),
                        ("unpack", "bool", False))),
    "aug_assign": (AugAssign, (("target", "expr", REQUIRED), ("op", "str", REQUIRED),
                               ("value", "expr", REQUIRED))),
    "attr_assign": (AttrAssign, (("target", "expr", REQUIRED), ("value", "expr", REQUIRED))),
    "index_assign": (IndexAssign, (("target", "expr", REQUIRED), ("value", "expr", REQUIRED))),
    "expression": (ExprStatement, (("value", "expr", REQUIRED),)),
    "with": (With, (("context", "expr", REQUIRED), ("body", "steps", REQUIRED))),
    "for": (For, (("targets", "strs", REQUIRED), ("iterable", "expr", REQUIRED),
                  ("body", "steps", REQUIRED), ("unpack", "bool", False))),
    "while": (While, (("condition", "expr", REQUIRED), ("body", "steps", REQUIRED))),
    "if": (If, (("condition", "expr", REQUIRED), ("body", "steps", REQUIRED),
                ("orelse", "steps", ()))),
    "break": (Break, ()),
    "continue": (Continue, ()),
    "pass": (Pass, ()),
    "code": (Code, (("source", "str", REQUIRED),)),
}

# JSON key -> dataclass field, where they differ.
_FIELD_NAMES = {"function": "path"}

_EXPRESSION_TAGS = {cls: tag for tag, (cls, _) in EXPRESSIONS.items()}
_STEP_TAGS = {cls: tag for tag, (cls, _) in STEPS.items()}


class JsonFormError(ValueError):
    """Malformed JSON program data; the message says where."""


# --------------------------------------------------------------- encoding
def expression_to_json(expr):
    cls = type(expr)
    if cls is Keyword:
        return {"name": expr.name, "value": expression_to_json(expr.value)}
    tag = _EXPRESSION_TAGS[cls]
    out = {"kind": tag}
    for key, kind, default in EXPRESSIONS[tag][1]:
        value = getattr(expr, _FIELD_NAMES.get(key, key))
        if default is not REQUIRED and value == default and not _is_value_literal(kind):
            continue
        out[key] = _encode_field(kind, value)
    return out


def _is_value_literal(kind):
    return kind == "const"


def _encode_field(kind, value):
    if kind in ("expr", "expr?"):
        return None if value is None else expression_to_json(value)
    if kind in ("exprs", "keywords"):
        return [expression_to_json(v) for v in value]
    if kind == "steps":
        return steps_to_json(value)
    if kind == "strs":
        return list(value)
    return value


def step_to_json(step):
    tag = _STEP_TAGS[type(step)]
    out = {"step": tag}
    for key, kind, default in STEPS[tag][1] + _COMMON_STEP_FIELDS:
        value = getattr(step, key)
        if default is not REQUIRED and value == default:
            continue
        out[key] = _encode_field(kind, value)
    return out


def steps_to_json(steps):
    return [step_to_json(step) for step in steps]


# --------------------------------------------------------------- decoding
def steps_from_json(data, where="program"):
    """A tuple of steps from a JSON list; raises ``JsonFormError``."""
    return _Decoder().steps(data, where, 0)


def expression_from_json(data, where="expression"):
    return _Decoder().expr(data, where, 0)


class _Decoder:
    def fail(self, where, message):
        raise JsonFormError(f"{where}: {message}")

    def check_depth(self, where, depth):
        if depth > MAX_JSON_DEPTH:
            self.fail(where, "nested too deeply")

    def steps(self, data, where, depth):
        self.check_depth(where, depth)
        if type(data) is not list:
            self.fail(where, f"expected a list of steps, got {_json_type(data)}")
        return tuple(self.step(item, f"{where}[{i}]", depth + 1) for i, item in enumerate(data))

    def step(self, data, where, depth):
        self.check_depth(where, depth)
        if type(data) is not dict:
            self.fail(where, f"expected a step object, got {_json_type(data)}")
        tag = data.get("step")
        if type(tag) is not str or tag not in STEPS:
            self.fail(where, f"unknown step kind {tag!r}")
        cls, fields = STEPS[tag]
        values = self.fields(data, "step", fields + _COMMON_STEP_FIELDS, where, depth)
        return cls(**values)

    def expr(self, data, where, depth):
        self.check_depth(where, depth)
        if type(data) is not dict:
            self.fail(where, f"expected an expression object, got {_json_type(data)}")
        tag = data.get("kind")
        if type(tag) is not str or tag not in EXPRESSIONS:
            self.fail(where, f"unknown expression kind {tag!r}")
        cls, fields = EXPRESSIONS[tag]
        values = self.fields(data, "kind", fields, where, depth)
        return cls(**values)

    def fields(self, data, tag_key, fields, where, depth):
        known = {key for key, _, _ in fields} | {tag_key}
        unknown = sorted(str(k) for k in data if k not in known)
        if unknown:
            self.fail(where, f"unknown key(s) {', '.join(map(repr, unknown))}")
        values = {}
        for key, kind, default in fields:
            if key not in data:
                if default is REQUIRED:
                    self.fail(where, f"missing key {key!r}")
                values[_FIELD_NAMES.get(key, key)] = default
                continue
            values[_FIELD_NAMES.get(key, key)] = self.field(kind, data[key], f"{where}.{key}",
                                                            depth + 1)
        return values

    def field(self, kind, value, where, depth):
        if kind == "expr":
            return self.expr(value, where, depth)
        if kind == "expr?":
            return None if value is None else self.expr(value, where, depth)
        if kind in ("exprs", "keywords"):
            if type(value) is not list:
                self.fail(where, f"expected a list, got {_json_type(value)}")
            decode = self.expr if kind == "exprs" else self.keyword
            return tuple(decode(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value))
        if kind == "steps":
            return self.steps(value, where, depth)
        if kind == "strs":
            if type(value) is not list or not all(type(v) is str for v in value):
                self.fail(where, "expected a list of strings")
            return tuple(value)
        if kind == "str":
            if type(value) is not str:
                self.fail(where, f"expected a string, got {_json_type(value)}")
            return value
        if kind == "str?":
            if value is not None and type(value) is not str:
                self.fail(where, f"expected a string or null, got {_json_type(value)}")
            return value
        if kind == "bool":
            if type(value) is not bool:
                self.fail(where, f"expected true or false, got {_json_type(value)}")
            return value
        if kind == "int":
            if type(value) is not int or value < 0:
                self.fail(where, f"expected a non-negative integer, got {_json_type(value)}")
            return value
        if kind == "const":
            if type(value) not in (int, float, bool, str, type(None)):
                self.fail(where, f"expected a literal value, got {_json_type(value)}")
            return value
        raise AssertionError(kind)

    def keyword(self, data, where, depth):
        self.check_depth(where, depth)
        if type(data) is not dict or set(data) != {"name", "value"}:
            self.fail(where, "expected a keyword object {\"name\": ..., \"value\": ...}")
        if type(data["name"]) is not str:
            self.fail(where + ".name", "expected a string")
        return Keyword(data["name"], self.expr(data["value"], where + ".value", depth + 1))


def _json_type(value):
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            int: "a number", float: "a number", type(None): "null"}.get(type(value),
                                                                       type(value).__name__)
