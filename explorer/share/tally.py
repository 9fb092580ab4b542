"""Students' answers to the current question: one choice per page, counted live.

A page names itself with a random client id it made when it loaded; the tally
keeps that page's latest choice for each question, so a student can change their
mind before Reveal but never counts twice. Thread-safe: the server's thread adds,
the teacher's thread reads.
"""
from __future__ import annotations

import threading

from .limits import MAX_ANSWERS


class Tally:
    def __init__(self, max_answers: int = MAX_ANSWERS):
        self.max_answers = max_answers
        self._answers: dict[str, dict[str, int]] = {}   # question id -> client id -> choice
        self._lock = threading.Lock()

    def record(self, question: str, client: str, choice: int) -> bool:
        """Keep ``client``'s ``choice`` for ``question``; False when the question is full."""
        with self._lock:
            answers = self._answers.setdefault(question, {})
            if client not in answers and len(answers) >= self.max_answers:
                return False
            answers[client] = choice
            return True

    def counts(self, question: str, choices: int) -> list[int]:
        """How many pages chose each of ``choices`` choices of ``question``."""
        counted = [0] * choices
        with self._lock:
            for choice in self._answers.get(question, {}).values():
                if 0 <= choice < choices:
                    counted[choice] += 1
        return counted

    def clear(self):
        with self._lock:
            self._answers.clear()
