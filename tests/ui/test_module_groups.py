"""Boxes around the nodes each function or Module call made, collapsed and expanded by a click."""
from call_programs import SQUARE, TWO_LAYER, last_snapshot
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from explorer.drawing.graph_items import GroupBoxItem, NodeItem
from explorer.graph.build import build_graph
from explorer.graph.layout import layered_layout
from explorer.graph.style import THEMES
from explorer.ui.program_bridge import parse_program


def open_at_last_frame(window, source):
    window.open_program(parse_program(source))
    controller = window.controller
    controller.go_to(len(controller.frames) - 1)
    return window.graph_panel.scene


def node_ids(scene, label):
    return [node for node, item in scene.drawing.nodes.items() if item.attributes["label"] == label]


def inside(box, item):
    return box.rect().contains(item.sceneBoundingRect().adjusted(3, 3, -3, -3))


def click(qtbot, view, scene_point):
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.mapFromScene(scene_point))


def test_a_models_calls_are_nested_boxes_around_their_nodes(qtbot, window):
    scene = open_at_last_frame(window, TWO_LAYER)
    model, fc1, fc2 = (scene.group_item(label) for label in ("model", "model.fc1", "model.fc2"))
    assert None not in (model, fc1, fc2)
    assert model.rect().contains(fc1.rect()) and model.rect().contains(fc2.rect())
    assert not fc1.rect().intersects(fc2.rect())
    addmms = [scene.node_item(node) for node in node_ids(scene, "AddmmBackward0")]
    assert sorted((inside(fc1, item), inside(fc2, item)) for item in addmms) == [(False, True), (True, False)]
    for name in ("model.fc1.weight", "model.fc1.bias"):
        (parameter,) = node_ids(scene, name)
        assert inside(fc1, scene.node_item(parameter)) and not inside(fc2, scene.node_item(parameter))
    (x,) = node_ids(scene, "x")
    assert not model.rect().intersects(scene.node_item(x).sceneBoundingRect())
    # Behind the nodes and edges, the nested box above the one holding it.
    assert model.zValue() < fc1.zValue() < 0
    # The view's fit shows every box whole.
    window.graph_panel.view.fit()
    visible = window.graph_panel.view.mapToScene(window.graph_panel.view.viewport().rect()).boundingRect()
    assert visible.contains(model.rect())


def test_clicking_a_label_collapses_the_call_and_clicking_its_node_expands_it(qtbot, window):
    scene = open_at_last_frame(window, TWO_LAYER)
    view = window.graph_panel.view
    fc1 = scene.group_item("model.fc1")
    members = {node for node, item in scene.drawing.nodes.items() if inside(fc1, item)}
    assert len(members) == 8
    click(qtbot, view, fc1.header_rect().center())
    qtbot.waitUntil(lambda: scene.group_item("model.fc1") is None)
    collapsed = [item for item in scene.drawing.nodes.values() if item.attributes["kind"] == "group"]
    assert [item.attributes["label"] for item in collapsed] == ["model.fc1 (4 nodes)"]
    assert not members & set(scene.drawing.nodes)
    (node,) = collapsed
    assert inside(scene.group_item("model"), node)
    # The edge that left the box leaves the node: into ReluBackward0.
    (relu,) = node_ids(scene, "ReluBackward0")
    assert (node.node_id, relu) in scene.drawing.edges
    # Kept while the frames change.
    controller = window.controller
    controller.go_to(len(controller.frames) - 2)
    controller.go_to(len(controller.frames) - 1)
    assert scene.group_item("model.fc1") is None and scene.node_item(node.node_id) is not None
    click(qtbot, view, scene.node_item(node.node_id).scenePos())
    qtbot.waitUntil(lambda: scene.group_item("model.fc1") is not None)
    assert members <= set(scene.drawing.nodes)
    assert scene.node_item(node.node_id) is None


def test_a_functions_call_is_a_box(qtbot, window):
    scene = open_at_last_frame(window, SQUARE)
    box = scene.group_item("square()")
    assert box is not None and list(scene.drawing.groups) == [("square()",)]
    (power,) = node_ids(scene, "PowBackward0")
    assert inside(box, scene.node_item(power))
    (a,) = node_ids(scene, "a")
    assert not box.rect().intersects(scene.node_item(a).sceneBoundingRect())


def test_the_grad_fn_view_and_every_theme_get_the_boxes(qtbot, window):
    scene = open_at_last_frame(window, TWO_LAYER)
    window.graph_panel.set_view("grad_fn")
    assert {box.label for box in scene.drawing.groups.values()} == {"model", "model.fc1", "model.fc2"}
    (addmm, _) = node_ids(scene, "AddmmBackward0")
    assert any(inside(box, scene.node_item(addmm)) for box in scene.drawing.groups.values()
               if box.label != "model")
    for name in ("dark", "projector", "light"):
        window.view_options.theme_actions[name].trigger()
        box = scene.group_item("model.fc1")
        assert box._fill == THEMES[name].group.fills[1]
        # A light tint on a light ground, a dark one on a dark ground.
        ground = QColor(THEMES[name].background).lightness()
        assert abs(QColor(box._fill).lightness() - ground) < 40


def test_exports_draw_the_boxes(qtbot):
    from explorer.export.scene import compose_scene
    from explorer.export.svg import scene_svg

    graph = build_graph(last_snapshot(TWO_LAYER))
    exported = compose_scene(graph, layered_layout(graph))
    boxes = [item for item in exported.scene.items() if isinstance(item, GroupBoxItem)]
    assert sorted(box.label for box in boxes) == ["model", "model.fc1", "model.fc2"]
    nodes = [item for item in exported.scene.items() if isinstance(item, NodeItem)]
    assert exported.rect.contains(boxes[0].rect()) and len(nodes) == graph.number_of_nodes()
    svg = scene_svg(exported).decode()
    assert "▾ model.fc1" in svg and svg.index("▾ model.fc1") < svg.index(">AddmmBackward0<")


def test_stepping_through_the_frames_no_box_covers_a_node_it_does_not_hold(qtbot, window):
    window.open_program(parse_program(TWO_LAYER))
    controller, panel = window.controller, window.graph_panel
    for view in ("tensor_function", "grad_fn"):
        panel.set_view(view)
        for index in range(len(controller.frames)):
            controller.go_to(index)
            members = {group.path: group.members for group in panel.graph.graph["groups"]}
            for path, box in panel.scene.drawing.groups.items():
                for node, item in panel.scene.drawing.nodes.items():
                    if node not in members[path]:
                        assert not box.rect().intersects(item.sceneBoundingRect()), (view, index, path, node)
    assert len(panel.scene.drawing.groups) == 3


def test_dot_export_writes_the_boxes_as_nested_clusters():
    from explorer.export.data import dot_text

    graph = build_graph(last_snapshot(TWO_LAYER))
    text = dot_text(graph, THEMES["light"])
    model = text.index('subgraph "cluster_model" {')
    fc1 = text.index('subgraph "cluster_model/model.fc1" {')
    assert model < fc1 < text.index("\n  }\n", model) and 'label="model.fc1"' in text
    plain = graph.copy()
    plain.graph["groups"] = []
    assert "subgraph" not in dot_text(plain, THEMES["light"])
