"""``einsum``, composed of engine ops as PyTorch composes it, so the graph shows
the same nodes: permutes that line operands up, a ``bmm`` between reshaped
operands when indices are contracted (View, Permute, View, Bmm from the top),
a ``mul`` when none is, a ``sum`` for indices that appear in one place only.
"""
import string

from .diagonals import diagonal
from .linalg import bmm
from .registry import op

_FRESH = string.ascii_uppercase  # letters for the dims an ellipsis stands for


def _parse(equation, operands):
    """Each operand's index letters (an ellipsis expanded) and the output's."""
    equation = equation.replace(" ", "")
    lhs, arrow, rhs = equation.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation"
                           if len(terms) < len(operands) else
                           "einsum(): fewer operands were provided than specified in the equation")
    widest = 0
    letters = []
    for term, operand in zip(terms, operands):
        if "..." in term:
            count = operand.dim() - (len(term) - 3)
            widest = max(widest, count)
            term = term.replace("...", _FRESH[len(_FRESH) - count:] if count else "")
        elif len(term) != operand.dim():
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(term)}) does not match "
                f"the number of dimensions ({operand.dim()}) for operand "
                f"{len(letters)} and no ellipsis was given")
        letters.append(term)
    ellipsis = _FRESH[len(_FRESH) - widest:] if widest else ""
    if arrow:
        output = rhs.replace("...", ellipsis)
    else:
        counts = {}
        for term in letters:
            for c in term:
                counts[c] = counts.get(c, 0) + 1
        output = ellipsis + "".join(sorted(c for c, n in counts.items()
                                           if n == 1 and c not in ellipsis))
    return letters, output


def _take_diagonals(operand, term):
    """Repeated letters in one term (``ii``) read a diagonal, as PyTorch does: the diagonal
    comes last, then a permute puts it where the letter first appeared."""
    while len(set(term)) != len(term):
        for i, c in enumerate(term):
            j = term.find(c, i + 1)
            if j != -1:
                operand = diagonal(operand, 0, i, j)
                moved = term[:i] + term[i + 1:j] + term[j + 1:] + c
                term = term[:j] + term[j + 1:]
                operand, term = _permuted(operand, moved, term)
                break
    return operand, term


def _permuted(operand, term, order):
    """``operand`` with its letters in ``order`` (a permute, even when it changes nothing)."""
    return operand.permute([term.index(c) for c in order]), order


def _sum_out(operand, term, keep):
    """Sum away letters that no later term and not the output needs."""
    gone = [i for i, c in enumerate(term) if c not in keep]
    if not gone:
        return operand, term
    return operand.sum(gone), "".join(c for c in term if c in keep)


def _size_of(operands, terms):
    sizes = {}
    for operand, term in zip(operands, terms):
        for c, n in zip(term, operand.shape):
            if c in sizes and n != sizes[c] and 1 not in (n, sizes[c]):
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {n} for operand {terms.index(term)} which "
                    f"does not broadcast with previously seen size {sizes[c]}")
            sizes[c] = max(n, sizes.get(c, n))
    return sizes


def _pair(a, ta, b, tb, keep, sizes, order):
    """Contract two operands, keeping the letters in ``keep``; returns (result, letters,
    whether a bmm contracted them). ``order`` is every letter, the output's first."""
    batch = [c for c in ta if c in tb and c in keep]
    left = [c for c in ta if c not in tb]
    right = [c for c in tb if c not in ta]
    summed = [c for c in ta if c in tb and c not in keep]
    if not summed:
        # An outer or elementwise product: line both up on every letter, then multiply.
        lined_up = [c for c in order if c in ta or c in tb]
        a = _unsqueezed(a, ta, lined_up)
        b = _unsqueezed(b, tb, lined_up)
        return a[0] * b[0], "".join(lined_up), False
    # Each operand is lined up on the letters' common order first, then put in bmm's.
    a, ta = _permuted(a, ta, "".join(c for c in order if c in ta))
    b, tb = _permuted(b, tb, "".join(c for c in order if c in tb))
    a, _ = _permuted(a, ta, "".join(batch + left + summed))
    b, _ = _permuted(b, tb, "".join(batch + summed + right))
    nb = _product(sizes[c] for c in batch)
    nl = _product(sizes[c] for c in left)
    ns = _product(sizes[c] for c in summed)
    nr = _product(sizes[c] for c in right)
    out = bmm(a.reshape(nb, nl, ns), b.reshape(nb, ns, nr))
    out = out.view([sizes[c] for c in batch + left + right])
    return out, "".join(batch + left + right), True


def _unsqueezed(operand, term, order):
    for c in order:
        if c not in term:
            operand = operand.unsqueeze(operand.dim())
            term += c
    return _permuted(operand, term, "".join(order))


def _product(values):
    n = 1
    for v in values:
        n *= v
    return n


@op("Linear algebra", method=False)
def einsum(equation, *operands):
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    terms, output = _parse(equation, operands)
    sizes = _size_of(operands, terms)
    if len(operands) == 1:
        # One operand: permute to the output's letters followed by the summed ones, then sum.
        operand, term = _take_diagonals(operands[0], terms[0])
        summed = "".join(c for c in term if c not in output)
        result, _ = _permuted(operand, term, output + summed)
        return result.sum(list(range(len(output), len(term)))) if summed else result
    items = []
    for index, (operand, term) in enumerate(zip(operands, terms)):
        operand, term = _take_diagonals(operand, term)
        later = set(output).union(*terms[:index], *terms[index + 1:])
        items.append(_sum_out(operand, term, later))
    order = output + "".join(dict.fromkeys(c for t in terms for c in t if c not in output))
    result, term = items[0]
    contracted = False
    for index in range(1, len(items)):
        other, other_term = items[index]
        keep = set(output).union(*(t for _, t in items[index + 1:]))
        result, term, contracted = _pair(result, term, other, other_term, keep, sizes, order)
    result, term = _sum_out(result, term, set(output))
    if contracted:
        # PyTorch permutes the product to the output's order and views it to the output's sizes.
        result, term = _permuted(result, term, output)
        return result.view([sizes[c] for c in output])
    return result if term == output else _permuted(result, term, output)[0]
