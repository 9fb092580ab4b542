"""Every engine error kind has an explanation and a fix in English and Chinese."""
import warnings

import pytest

from explorer.explain import ENTRIES, KINDS, LANGUAGES, explain
from tests.ui.conftest import require_engine


def raise_freed(torch):
    x = torch.ones(2, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    y.backward()


def raise_version(torch):
    x = torch.ones(2, requires_grad=True)
    y = x ** 2
    x.detach().mul_(10)
    y.sum().backward()


def grad_of_non_leaf(torch):
    y = torch.ones(2, requires_grad=True) * 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return y.grad


# (kind, code raising the engine's own text); each line one case.
ENGINE_CASES = [
    ("freed", raise_freed),
    ("version", raise_version),
    ("non_scalar_backward", lambda t: t.ones(2, requires_grad=True).mul(2).backward()),
    ("leaf_inplace", lambda t: t.ones(2, requires_grad=True).add_(1)),
    ("requires_grad_nonleaf", lambda t: (t.ones(2, requires_grad=True) * 2).requires_grad_(False)),
    ("float_only", lambda t: t.tensor([1, 2], requires_grad=True)),
    ("no_grad_fn", lambda t: t.ones(()).backward()),
    ("grad_output_shape", lambda t: t.ones(2, requires_grad=True).sum().backward(t.ones(3))),
    ("shape_mismatch", lambda t: t.ones(2, 3) + t.ones(4)),
    ("matmul_shapes", lambda t: t.ones(2, 3) @ t.ones(2, 3)),
    ("view_shape", lambda t: t.ones(2, 3).view(4)),
    ("item_many", lambda t: t.ones(2, 3).item()),
    ("numpy_requires_grad", lambda t: t.ones(2, requires_grad=True).numpy()),
    ("unused_input", lambda t: t.autograd.grad(t.ones(2, requires_grad=True).sum(),
                                               t.ones(2, requires_grad=True))),
    ("dimension_range", lambda t: t.ones(2).sum(dim=3)),
    ("nonleaf_grad", grad_of_non_leaf),
    ("retain_grad_no_grad", lambda t: t.ones(2).retain_grad()),
    ("hook_no_grad", lambda t: t.ones(2).register_hook(lambda g: g)),
]

# Kinds whose texts are checked as written (the engine path to them is long or not built).
WRITTEN_CASES = [
    ("input_not_requiring_grad", "One of the differentiated Tensors does not require grad"),
    ("ambiguous_bool", "Boolean value of Tensor with more than one value is ambiguous"),
    ("create_graph_cycle", "Using backward() with create_graph=True will create a reference cycle"),
]


@pytest.mark.parametrize("kind, make_error", ENGINE_CASES, ids=[case[0] for case in ENGINE_CASES])
def test_engine_error_texts_are_explained(kind, make_error):
    require_engine()
    import engine
    with pytest.raises((RuntimeError, IndexError, TypeError, ValueError, UserWarning)) as caught:
        make_error(engine)
    explanation = explain(str(caught.value))
    assert explanation is not None, str(caught.value)
    assert explanation.kind == kind


@pytest.mark.parametrize("kind, text", WRITTEN_CASES, ids=[case[0] for case in WRITTEN_CASES])
def test_other_texts_are_explained(kind, text):
    assert explain(text).kind == kind


def test_every_kind_is_covered_by_a_case_and_speaks_both_languages():
    covered = {kind for kind, _ in ENGINE_CASES} | {kind for kind, _ in WRITTEN_CASES}
    assert covered == set(KINDS)
    for case_kind, text in WRITTEN_CASES:
        explanation = explain(text)
        assert explanation.kind == case_kind
    for kind in KINDS:
        entry = next(e for e in ENTRIES if e.kind == kind)
        for language in LANGUAGES:
            assert entry.explanation.explanation[language].strip()
            assert entry.explanation.fix[language].strip()
        english = entry.explanation.text("en")
        chinese = entry.explanation.text("zh")
        assert "Fix: " in english and "解决办法：" in chinese
        assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese)


def test_unknown_text_has_no_explanation():
    assert explain("") is None
    assert explain("something entirely different") is None
