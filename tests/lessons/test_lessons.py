"""The built-in lessons: catalog, strict loading, narration, runs, and agreement with PyTorch."""
import json

import numpy as np
import pytest

import engine
from explorer import lessons as catalog
from explorer.program.codegen import program_source, step_lines
from explorer.program.files import dumps_document, load_document
from explorer.program.runner import run_program
from explorer.program.steps import Program
from explorer.program.timeline import ERROR, FINISHED
from tests.program.test_oracle import describe, masked, run_source_on_real_torch

EXPECTED_IDS = (
    "no-grad-fn", "requires-grad", "first-graph", "requires-grad-in-place", "backward-scalar",
    "accumulate-and-zero", "jacobian-vector-product", "no-grad", "data-edits",
    "detach-and-versions", "retain-graph", "retain-grad-and-hooks", "higher-order",
    "training-step",
)

# Lessons whose point is an error: the last step raises exactly this (PyTorch's text).
EXPECTED_ERRORS = {
    "detach-and-versions": (
        "RuntimeError",
        "one of the variables needed for gradient computation has been modified by an inplace "
        "operation: [torch.FloatTensor [3]] is at version 1; expected version 0 instead. Hint: "
        "enable anomaly detection to find the operation that failed to compute its gradient, "
        "with torch.autograd.set_detect_anomaly(True, check_nan=False)."),
    "retain-graph": (
        "RuntimeError",
        "Trying to backward through the graph a second time (or directly access saved tensors "
        "after they have already been freed). Saved intermediate values of the graph are freed "
        "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
        "backward through the graph a second time or if you need to access saved tensors after "
        "calling backward."),
}

# Variables holding random numbers: compared by shape, grad and grad_fn only.
RANDOM_VARIABLES = {"no-grad-fn": {"x"}}

# What each lesson prints on the engine; object addresses masked as 0x...
EXPECTED_OUTPUT = {
    "no-grad-fn": "None\nTrue True\nNone False\n",
    "requires-grad": (
        "tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)\n"
        "tensor([[1., 1.],\n        [1., 1.]], grad_fn=<PowBackward0>)\n"
        "<PowBackward0 object at 0x...>\n((<AccumulateGrad object at 0x...>, 0),)\nTrue False\n"),
    "first-graph": (
        "tensor([[3., 3.],\n        [3., 3.]], grad_fn=<MulBackward0>) "
        "tensor(3., grad_fn=<MeanBackward0>)\n<MeanBackward0 object at 0x...>\n"
        "((<MulBackward0 object at 0x...>, 0),)\n"),
    "requires-grad-in-place": "False\nTrue\n<SumBackward0 object at 0x...>\n",
    "backward-scalar": "None\ntensor([[3., 3.],\n        [3., 3.]])\n",
    "accumulate-and-zero": (
        "tensor([[3., 3.],\n        [3., 3.]])\ntensor([[4., 4.],\n        [4., 4.]])\n"
        "tensor([[1., 1.],\n        [1., 1.]])\n"),
    "jacobian-vector-product": (
        "tensor([-0.9332,  1.9616,  0.1739], requires_grad=True)\n"
        "tensor([-477.7843, 1004.3264,   89.0424], grad_fn=<MulBackward0>) 8\n"
        "tensor([5.1200e+01, 5.1200e+02, 5.1200e-02])\n"),
    "no-grad": "True\nTrue\nFalse\nNone True\nTrue\n",
    "data-edits": "tensor([1.])\nFalse\ntensor([100.], requires_grad=True)\ntensor([2.])\n",
    "detach-and-versions": "0\ntensor([20., 40., 60.])\n1\n",
    "retain-graph": "tensor([ 3., 12.])\ntensor([ 6., 24.])\n",
    "retain-grad-and-hooks": "tensor([ 8., 16., 24.])\ntensor([16., 32., 48.])\n",
    "higher-order": "tensor([ 3., 12., 27.], grad_fn=<MulBackward0>)\ntensor([ 6., 12., 18.])\nNone\n",
    "training-step": (
        "tensor(0.2250, grad_fn=<MseLossBackward0>) tensor([[-0.6600],\n        [-1.0200]])\n"
        "tensor(0.0268, grad_fn=<MseLossBackward0>)\n"),
}

LESSONS = catalog.list_lessons()


def lesson_ids():
    return [lesson.id for lesson in LESSONS]


@pytest.fixture(params=LESSONS, ids=lesson_ids())
def lesson(request):
    return request.param


def texts_of(value):
    return value.get("en", ""), value.get("zh", "")


def run_on_engine(document):
    return run_program(document.program, engine)


# ------------------------------------------------------------------ catalog
def test_catalog_lists_all_fourteen_lessons_in_order_with_both_titles():
    assert catalog.LESSON_IDS == EXPECTED_IDS
    assert [lesson.id for lesson in LESSONS] == list(EXPECTED_IDS)
    assert [lesson.number for lesson in LESSONS] == list(range(1, 15))
    for lesson in LESSONS:
        assert lesson.path.is_file(), lesson.path
        assert lesson.title.get("en", "").strip() and lesson.title.get("zh", "").strip(), lesson.id
        assert lesson.title_in("zh") == lesson.title["zh"]
        assert lesson.title_in("zh-CN") == lesson.title["zh"]
        assert lesson.title_in("fr") == lesson.title["en"]


def test_file_names_sort_in_teaching_order_and_every_lesson_file_is_listed():
    folder = catalog.lessons_folder()
    on_disk = sorted(path.name for path in folder.glob("*.agx.json"))
    assert on_disk == [lesson.path.name for lesson in LESSONS]


def test_lessons_are_found_in_a_source_checkout():
    folder = catalog.lessons_folder()
    assert folder.is_dir()
    assert folder.parent in (catalog.PACKAGE_ASSETS, catalog.CHECKOUT_ASSETS)


def test_installed_package_data_is_preferred_over_a_checkout(tmp_path):
    installed, checkout = tmp_path / "explorer" / "assets", tmp_path / "assets"
    (checkout / "lessons").mkdir(parents=True)
    assert catalog.assets_folder([installed, checkout]) == checkout
    (installed / "lessons").mkdir(parents=True)
    assert catalog.assets_folder([installed, checkout]) == installed
    assert catalog.lessons_folder([installed, checkout]) == installed / "lessons"


def test_a_missing_lessons_folder_or_unknown_id_is_a_clear_error(tmp_path):
    with pytest.raises(catalog.LessonNotFound, match="no lessons folder"):
        catalog.assets_folder([tmp_path / "nowhere"])
    with pytest.raises(catalog.LessonNotFound, match="no built-in lesson 'nope'"):
        catalog.load_lesson("nope")


def test_lessons_load_from_a_copied_folder(tmp_path):
    for lesson in LESSONS:
        (tmp_path / lesson.path.name).write_bytes(lesson.path.read_bytes())
    copied = catalog.list_lessons(tmp_path)
    assert [entry.title for entry in copied] == [entry.title for entry in LESSONS]
    assert catalog.load_lesson("no-grad", tmp_path) == load_document(LESSONS[7].path)


# ------------------------------------------------------------------ files
def test_lesson_loads_strictly_and_is_saved_canonically(lesson):
    document = catalog.load_lesson(lesson)
    assert document == catalog.load_lesson(lesson.id)
    assert document.title == lesson.title
    # The committed file is exactly what saving the document writes.
    assert lesson.path.read_text("utf-8") == dumps_document(document)
    assert 3 <= len(document.program.steps) <= 10
    assert isinstance(document.view, dict)
    assert document.view.get("graph") in ("tensor_function", "grad_fn")


def test_every_step_has_narration_in_both_languages(lesson):
    document = catalog.load_lesson(lesson)
    assert len(document.narration) == len(document.program.steps)
    for index, entry in enumerate(document.narration):
        en, zh = texts_of(entry)
        assert en.strip() and zh.strip(), (lesson.id, index)
        assert set(entry) <= {"en", "zh", "question"}


def test_questions_are_complete_in_both_languages(lesson):
    document = catalog.load_lesson(lesson)
    questions = [entry["question"] for entry in document.narration if "question" in entry]
    assert len(questions) >= 2, lesson.id
    for question in questions:
        assert all(text.strip() for text in texts_of(question["prompt"]))
        assert 2 <= len(question["choices"]) <= 4
        for choice in question["choices"]:
            assert all(text.strip() for text in texts_of(choice))
        assert type(question["answer"]) is int
        assert 0 <= question["answer"] < len(question["choices"])
        assert all(text.strip() for text in texts_of(question["explanation"]))
        english = [choice["en"] for choice in question["choices"]]
        assert len(set(english)) == len(english), question["prompt"]["en"]


def test_right_answers_are_not_always_in_the_same_place():
    positions = {entry["question"]["answer"] for lesson in LESSONS
                 for entry in catalog.load_lesson(lesson).narration if "question" in entry}
    assert len(positions) >= 3


def test_lesson_files_are_plain_utf8_json():
    for lesson in LESSONS:
        raw = json.loads(lesson.path.read_text("utf-8"))
        assert raw["format"] == "autograd-explorer/1"


# ------------------------------------------------------------------ runs
def test_lesson_runs_to_its_end_on_the_engine(lesson):
    document = catalog.load_lesson(lesson)
    timeline = run_on_engine(document)
    top_level = {frame.path[0] for frame in timeline.frames}
    assert top_level == set(range(len(document.program.steps))), lesson.id
    assert masked(timeline.output) == EXPECTED_OUTPUT[lesson.id]
    assert not [warning for frame in timeline.frames for warning in frame.warnings]
    if lesson.id in EXPECTED_ERRORS:
        type_name, message = EXPECTED_ERRORS[lesson.id]
        assert timeline.status == ERROR
        last = timeline.frames[-1]
        assert last.path == (len(document.program.steps) - 1,)
        assert (last.error.type_name, last.error.message) == (type_name, message)
        assert all(frame.error is None for frame in timeline.frames[:-1])
    else:
        assert timeline.status == FINISHED, timeline.error
        assert all(frame.error is None for frame in timeline.frames)


def test_backward_steps_record_backward_events(lesson):
    document = catalog.load_lesson(lesson)
    timeline = run_on_engine(document)
    for frame in timeline.frames:
        if frame.ran_backward and frame.error is None:
            kinds = [event.kind for event in frame.events]
            assert kinds[0] == "backward_started" and kinds[-1] == "backward_finished"


# ------------------------------------------------------------------ oracle
def run_on_real_torch(program, expected_error):
    """Run the program's generated source under PyTorch: (printed, namespace, error)."""
    steps = program.steps
    if expected_error is None:
        printed, namespace = run_source_on_real_torch(program_source(program, add_import=True))
        return printed, namespace, None
    printed, namespace = run_source_on_real_torch(program_source(Program(steps[:-1]),
                                                                 add_import=True))
    last = "".join(line + "\n" for line in step_lines(steps[-1]))
    with pytest.raises(Exception) as raised:
        exec(compile(last, "<generated>", "exec"), namespace)
    return printed, namespace, raised.value


def test_lesson_agrees_with_pytorch(lesson):
    torch = pytest.importorskip("torch")
    document = catalog.load_lesson(lesson)
    timeline = run_on_engine(document)
    expected_error = EXPECTED_ERRORS.get(lesson.id)
    printed, namespace, error = run_on_real_torch(document.program, expected_error)
    assert masked(timeline.output) == masked(printed)
    if expected_error is not None:
        assert (type(error).__name__, str(error)) == expected_error
        assert (timeline.error.type_name, timeline.error.message) == expected_error
    assert set(timeline.variables) == {name for name in namespace
                                       if not name.startswith("__") and name != "torch"}
    random = RANDOM_VARIABLES.get(lesson.id, set())
    for name, value in timeline.variables.items():
        expected = describe(namespace[name])
        got = describe(value)
        if expected is None:
            assert got is None, name
            if not isinstance(value, (type(None), bool, int, float, str)):
                continue
            assert value == namespace[name], name
            continue
        assert isinstance(namespace[name], torch.Tensor), name
        assert got[0].shape == expected[0].shape, name
        if name not in random:
            np.testing.assert_allclose(got[0], expected[0], rtol=1e-6, err_msg=name)
        assert (got[1] is None) == (expected[1] is None), name
        if got[1] is not None:
            np.testing.assert_allclose(got[1], expected[1], rtol=1e-6, err_msg=name)
        assert got[2] == expected[2], name
        assert value.requires_grad == namespace[name].requires_grad, name
        assert value.is_leaf == namespace[name].is_leaf, name
        assert value._version == namespace[name]._version, name
