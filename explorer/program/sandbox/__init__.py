"""The sandbox: a tree-walking interpreter for the Python that teaching code is written in.

``interpreter.Sandbox`` runs syntax trees; ``validate`` refuses machinery
names up front; ``policy`` decides what a value lets a program reach;
``modules``, ``safe_builtins`` and ``safe_stdlib`` are all a program can name.
"""
