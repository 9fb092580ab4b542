"""One sentence per backward event, in English or Chinese, for the animation's caption.

Names come from the frame's snapshot (variable names, PyTorch class names);
values from the event itself. No Qt here.
"""
from __future__ import annotations

from .backward_state import value_text

CAPTIONS = {
    "en": {
        "start": "Press Play (Space) or Step (→) to replay backward() event by event.",
        "backward_started": "backward() starts at {roots} with gradient {seed}.",
        "node_evaluated": "{node} runs: gradient in {grads_in}, out {grads_out}.",
        "grad_summed": "Two gradients meet at input {input_nr} of {node}: "
                       "{before} + {added} = {after}. They are summed before it runs once.",
        "grad_accumulated": "AccumulateGrad: {leaf}.grad {before} → {after}.",
        "hook_fired": "A {hook} hook runs on {target}.",
        "backward_finished": "backward() finished.",
        "position": "backward event {number} / {count}",
    },
    "zh": {
        "start": "按播放（空格）或单步（→）逐个事件重放 backward()。",
        "backward_started": "backward() 从 {roots} 开始，初始梯度为 {seed}。",
        "node_evaluated": "{node} 运行：输入梯度 {grads_in}，输出梯度 {grads_out}。",
        "grad_summed": "两份梯度在 {node} 的第 {input_nr} 个输入处相遇：{before} + {added} = {after}。"
                       "先求和，节点只运行一次。",
        "grad_accumulated": "AccumulateGrad：{leaf}.grad {before} → {after}。",
        "hook_fired": "{target} 上的 {hook} 钩子运行。",
        "backward_finished": "backward() 结束。",
        "position": "反向传播事件 {number} / {count}",
    },
}


def caption(event, snapshot, language: str = "en") -> str:
    """The sentence for ``event`` (None: the one shown before the first event)."""
    texts = CAPTIONS.get(language.split("-")[0], CAPTIONS["en"])
    if event is None:
        return texts["start"]
    template = texts.get(event.kind)
    if template is None:
        return event.kind
    return template.format(
        roots=", ".join(_tensor_name(snapshot, root) for root in event.roots),
        seed=", ".join(value_text(seed) for seed in event.grads_in),
        node=_function_name(snapshot, event.function),
        grads_in=_values(event.grads_in),
        grads_out=_values(event.grads_out),
        input_nr=event.input_nr,
        before="None" if event.before is None else value_text(event.before),
        added=value_text(event.added),
        after=value_text(event.after),
        leaf=_tensor_name(snapshot, event.tensor),
        hook=event.hook or "",
        target=_function_name(snapshot, event.function) if event.function
        else _tensor_name(snapshot, event.tensor))


def position_text(number: int, count: int, language: str = "en") -> str:
    texts = CAPTIONS.get(language.split("-")[0], CAPTIONS["en"])
    return texts["position"].format(number=number, count=count)


def _values(values) -> str:
    return ", ".join(value_text(value) for value in values) if values else "()"


def _tensor_name(snapshot, tensor_id) -> str:
    if tensor_id is None:
        return ""
    info = snapshot.tensors.get(tensor_id) if snapshot is not None else None
    if info is not None and info.names:
        return info.names[0]
    return "a result" if snapshot is not None else str(tensor_id)


def _function_name(snapshot, function_id) -> str:
    info = snapshot.functions.get(function_id) if snapshot is not None else None
    return info.name if info is not None else str(function_id)
