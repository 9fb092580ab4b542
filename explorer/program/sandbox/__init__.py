"""The sandbox: a tree-walking interpreter for the Python that teaching code is written in.

``interpreter.Sandbox`` runs syntax trees, one part per module: ``statements``
runs statements, ``expressions`` evaluates expressions, ``calls`` calls
values and runs the program's functions, ``bindings`` resolves and assigns
names, ``values`` guards attribute, item and operator work on values.
``validate`` refuses machinery names up front; ``policy`` decides what a
value lets a program reach; ``modules``, ``safe_builtins`` and
``safe_stdlib`` are all a program can name.
"""
