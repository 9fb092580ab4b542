"""Share with class: a read-only live page of the teacher's graph for students' browsers.

A small aiohttp server on the local network, running its own asyncio loop on a
background thread, serves one self-contained page, each frame's graph as SVG
(drawn by the same headless pipeline as the HTML export) and a stream of what
the teacher shows: frame, backward-animation event, narration, code with the
current line and the current question. Students can answer the question with one
choice; nothing a request sends changes the teacher's program.
"""
