"""What the teacher shows, as the message every student's page receives.

A message is plain JSON: the frame (from 0) and how many there are, the drawing
to fetch for it, the backward-animation event shown (from 0; -1 before the
first), the narration of the frame's step, the program's code and the current
line, and the step's "predict, then reveal" question. Before Reveal a question
carries its prompt and choices only; the answer and explanation are added when
the teacher reveals them, so no page can know the answer early.
"""
from __future__ import annotations

from explorer.i18n import in_language
from explorer.program.codegen import program_source
from explorer.program.files import Document, narrated_step


def narration_entry(document: Document, frame) -> dict | None:
    """The narration entry (texts per language, maybe a question) of ``frame``'s step."""
    if frame is None or not frame.path:
        return None
    step = narrated_step(document.cells, frame.path[0])
    narration = document.narration
    entry = narration[step] if 0 <= step < len(narration) else None
    return entry if isinstance(entry, dict) else None


def question_of(entry: dict | None, question_id: str, language: str, revealed: bool) -> dict | None:
    question = entry.get("question") if entry else None
    if not isinstance(question, dict) or not question.get("choices"):
        return None
    shown = {"id": question_id, "prompt": in_language(question.get("prompt", {}), language),
             "choices": [in_language(choice, language) for choice in question["choices"]],
             "answer": None, "explanation": ""}
    if revealed:
        shown["answer"] = question.get("answer")
        shown["explanation"] = in_language(question.get("explanation", {}), language)
    return shown


def question_id(document: Document, frame, run_key: str) -> str | None:
    """The id students' answers to ``frame``'s question are counted under (None: no question)."""
    entry = narration_entry(document, frame)
    if question_of(entry, "", "en", False) is None:
        return None
    return f"{run_key}-{narrated_step(document.cells, frame.path[0])}"


def teacher_message(document: Document, timeline, frame_index: int, event_index: int, revealed: bool,
                    language: str, drawing_key: str, run_key: str, code_view: tuple | None = None) -> dict:
    """The message for frame ``frame_index`` showing event ``event_index`` (-1: none yet).

    ``code_view`` is (text, current line) as the teacher's code pane shows them; without
    it the program's generated source and the frame's line."""
    frame = timeline.frames[frame_index]
    entry = narration_entry(document, frame)
    texts = {key: value for key, value in (entry or {}).items() if isinstance(value, str)}
    code, line = code_view or (program_source(document.program), frame.line)
    return {
        "language": language,
        "title": in_language(document.title, language),
        "frame": frame_index,
        "frames": len(timeline.frames),
        "drawing": drawing_key,
        "event": event_index,
        "events": len(frame.events) if frame.ran_backward else 0,
        "narration": in_language(texts, language),
        "code": code,
        "line": line,
        "output": frame.output or "",
        "question": question_of(entry, question_id(document, frame, run_key), language, revealed),
    }
