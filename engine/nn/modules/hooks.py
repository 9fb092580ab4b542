"""``torch.utils.hooks.RemovableHandle`` as modules use it: ``remove()`` also drops the
hook's entries from the extra dicts (``with_kwargs``, ``always_call`` marks)."""
import itertools
import weakref

_next_id = itertools.count()


class RemovableHandle:
    """Returned by a module's ``register_*_hook``; ``remove()`` unregisters the hook."""

    def __init__(self, hooks_dict, *, extra_dict=None):
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = next(_next_id)
        if isinstance(extra_dict, dict):
            self.extra_dict_ref = (weakref.ref(extra_dict),)
        elif isinstance(extra_dict, list):
            self.extra_dict_ref = tuple(weakref.ref(d) for d in extra_dict)
        else:
            self.extra_dict_ref = ()

    def remove(self):
        for ref in (self.hooks_dict_ref, *self.extra_dict_ref):
            hooks = ref()
            if hooks is not None and self.id in hooks:
                del hooks[self.id]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
