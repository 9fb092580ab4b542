"""Expressions: how the sandbox evaluates each kind of expression.

``eval`` picks the expression's handler (``_e_*``) from the table
``expression_handlers`` builds. Displays and comprehensions are size-checked
like any result; f-strings format through ``formatting``; ``yield`` collects
into the running generator function's list (generators run eagerly).
"""
import ast
import operator

from . import formatting
from .safe_stdlib import bounded_length, consume
from .scopes import COMPREHENSION, Scope, comprehension_targets
from .values import GeneratorValue

UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_,
         ast.Invert: operator.invert}
COMPARE = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
}



class Expressions:
    """The part of ``Sandbox`` (``interpreter.py``) that evaluates expressions."""

    def expression_handlers(self):
        """Each expression type's handler, bound to this sandbox (``eval``'s table).

        A call's handler, ``_e_call``, lives with the calls (``calls.py``)."""
        return {
            ast.Constant: self._e_constant, ast.Name: self._e_name, ast.Attribute: self._e_attribute,
            ast.Call: self._e_call, ast.BinOp: self._e_binop, ast.UnaryOp: self._e_unary,
            ast.Compare: self._e_compare, ast.BoolOp: self._e_boolop, ast.IfExp: self._e_ifexp,
            ast.Subscript: self._e_subscript, ast.Slice: self._e_slice, ast.Tuple: self._e_tuple,
            ast.List: self._e_list, ast.Set: self._e_set, ast.Dict: self._e_dict,
            ast.Lambda: self._e_lambda, ast.ListComp: self._e_listcomp,
            ast.SetComp: self._e_setcomp, ast.DictComp: self._e_dictcomp,
            ast.GeneratorExp: self._e_genexp, ast.JoinedStr: self._e_joinedstr,
            ast.FormattedValue: self._e_formatted, ast.NamedExpr: self._e_namedexpr,
            ast.Yield: self._e_yield, ast.YieldFrom: self._e_yieldfrom,
            ast.Starred: self._e_starred_alone,
        }

    def eval(self, node, scope):
        handler = self._expression.get(type(node))
        if handler is None:
            raise SyntaxError(f"{type(node).__name__} expressions are not supported")
        return handler(node, scope)

    def _e_constant(self, node, scope):
        return node.value

    def _e_name(self, node, scope):
        return self.load(node.id, scope)

    def _e_attribute(self, node, scope):
        return self.get_attribute(self.eval(node.value, scope), node.attr)

    def _e_subscript(self, node, scope):
        container = self.eval(node.value, scope)
        return self.get_item(container, self.eval(node.slice, scope))

    def _e_slice(self, node, scope):
        return slice(*(None if part is None else self.eval(part, scope)
                       for part in (node.lower, node.upper, node.step)))

    # Displays are checked like results: ``[a, a, a]`` can hold far more than it shows.
    def _e_tuple(self, node, scope):
        return self.check_value(tuple(self._elements(node.elts, scope)))

    def _e_list(self, node, scope):
        return self.check_value(self._elements(node.elts, scope))

    def _e_set(self, node, scope):
        return self.check_value(set(self._elements(node.elts, scope)))

    def _elements(self, nodes, scope):
        values = []
        for element in nodes:
            if type(element) is ast.Starred:
                values.extend(consume(self.iterate(self.eval(element.value, scope)), self.guard))
                self.guard.check_length(len(values))
            else:
                values.append(self.eval(element, scope))
        return values

    def _e_dict(self, node, scope):
        result = {}
        for key, value in zip(node.keys, node.values):
            if key is None:
                mapping = self.eval(value, scope)
                bounded_length(mapping, self.guard)
                result.update(mapping)
            else:
                result[self.eval(key, scope)] = self.eval(value, scope)
        return self.check_value(result)

    def _e_starred_alone(self, node, scope):
        raise SyntaxError("can't use starred expression here")

    def _e_binop(self, node, scope):
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        return self.binary(node.op, left, right)

    def _e_unary(self, node, scope):
        operand = self.eval(node.operand, scope)
        if type(node.op) is ast.Not:
            return not self.truth(operand)
        return self.check_value(UNARY[type(node.op)](operand))

    def _e_compare(self, node, scope):
        left = self.eval(node.left, scope)
        result = True
        last = len(node.ops) - 1
        for position, (op, comparator) in enumerate(zip(node.ops, node.comparators)):
            right = self.eval(comparator, scope)
            self._precheck_compare(op, left, right)
            result = COMPARE[type(op)](left, right)
            if position < last and not self.truth(result):
                return result
            left = right
        return self.check_value(result)

    def _e_boolop(self, node, scope):
        want = type(node.op) is ast.Or
        value = None
        for operand in node.values:
            value = self.eval(operand, scope)
            if self.truth(value) == want:
                return value
        return value

    def _e_ifexp(self, node, scope):
        if self.truth(self.eval(node.test, scope)):
            return self.eval(node.body, scope)
        return self.eval(node.orelse, scope)

    def _e_namedexpr(self, node, scope):
        value = self.eval(node.value, scope)
        self.store(node.target.id, value, scope.function_scope())
        return value

    def _e_lambda(self, node, scope):
        return self.make_function(node, scope)

    def _e_joinedstr(self, node, scope):
        pieces = []
        for part in node.values:
            pieces.append(part.value if type(part) is ast.Constant else self.eval(part, scope))
            self.guard.check_length(sum(len(p) for p in pieces))
        return "".join(pieces)

    def _e_formatted(self, node, scope):
        value = self.eval(node.value, scope)
        if node.conversion == ord("r"):
            value = formatting.safe_repr(value, self.guard)
        elif node.conversion == ord("s"):
            value = formatting.safe_str(value, self.guard)
        elif node.conversion == ord("a"):
            formatting.safe_repr(value, self.guard)  # sized like repr
            value = ascii(value)
        spec = "" if node.format_spec is None else self.eval(node.format_spec, scope)
        return formatting.safe_format(value, spec, self.guard)

    def _e_yield(self, node, scope):
        collector = self._yields(scope)
        collector.append(None if node.value is None else self.eval(node.value, scope))
        self.guard.count_iteration()
        self.guard.check_length(len(collector))
        return None

    def _e_yieldfrom(self, node, scope):
        collector = self._yields(scope)
        collector.extend(consume(self.iterate(self.eval(node.value, scope)), self.guard))
        self.guard.check_length(len(collector))
        return None

    def _yields(self, scope):
        scope = scope.function_scope()
        if scope.yields is None:
            raise SyntaxError("'yield' outside function")
        return scope.yields

    # --------------------------------------------------------- comprehensions
    def _comprehension(self, node, scope, add):
        inner = Scope(COMPREHENSION, {}, parent=scope,
                      local_names=comprehension_targets(node))
        generators = node.generators
        first = self.eval(generators[0].iter, scope)

        def loop(index, iterable):
            generator = generators[index]
            for item in self.iterate(iterable):
                self.guard.count_iteration()
                self.assign(generator.target, item, inner)
                if all(self.truth(self.eval(test, inner)) for test in generator.ifs):
                    if index + 1 == len(generators):
                        add(inner)
                    else:
                        loop(index + 1, self.eval(generators[index + 1].iter, inner))
        loop(0, first)

    def _e_listcomp(self, node, scope):
        result = []

        def add(inner):
            result.append(self.eval(node.elt, inner))
        self._comprehension(node, scope, add)
        return self.check_value(result)

    def _e_setcomp(self, node, scope):
        result = set()
        self._comprehension(node, scope, lambda inner: result.add(self.eval(node.elt, inner)))
        return self.check_value(result)

    def _e_dictcomp(self, node, scope):
        result = {}

        def add(inner):
            key = self.eval(node.key, inner)
            result[key] = self.eval(node.value, inner)
        self._comprehension(node, scope, add)
        return self.check_value(result)

    def _e_genexp(self, node, scope):
        return GeneratorValue(self._e_listcomp(node, scope), "<genexpr>")
