"""Ticking the papers handed over: a click anywhere on the row, a box big enough to see and hit, and "Nhận đủ"
ticking what the procedure requires, never what it asks for only in some cases."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QSpinBox, QStyle, QStyleOptionButton

from motcua.services.catalog import CatalogService
from motcua.ui.counter.components_table import ComponentsTable

PROCEDURE = "1.001193"  # khai sinh: two required components and one "if any" (a power of attorney)


@pytest.fixture
def table(qtbot, ctx) -> ComponentsTable:
    t = ComponentsTable()
    qtbot.addWidget(t)
    t.resize(900, 400)
    t.set_procedure(CatalogService(ctx).get(PROCEDURE))
    t.show()
    qtbot.waitExposed(t)
    return t


def _click(qtbot, t: ComponentsTable, row: int, col: int, where: str = "center") -> None:
    rect = t.visualRect(t.model().index(row, col))
    point = rect.center() if where == "center" else QPoint(rect.right() - 3, rect.center().y())
    target = t.viewport().childAt(point) or t.viewport()
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(t.viewport(), point))


def test_a_click_anywhere_on_the_row_ticks_it(qtbot, table) -> None:
    assert not table.is_ticked(0)
    _click(qtbot, table, 0, 1)  # the name
    assert table.is_ticked(0)
    _click(qtbot, table, 0, 5)  # the "required" cell unticks it again
    assert not table.is_ticked(0)
    _click(qtbot, table, 1, 3)  # a count, greyed until the row is ticked
    assert table.is_ticked(1)
    _click(qtbot, table, 2, 0, where="right")  # the tick's cell, beside the box
    assert table.is_ticked(2)
    spin = table.cellWidget(1, 3)
    assert isinstance(spin, QSpinBox) and spin.isEnabled()
    _click(qtbot, table, 1, 3)  # a count of a ticked row is for counting, not for unticking
    assert table.is_ticked(1)


def test_space_ticks_the_current_row(qtbot, table) -> None:
    table.setCurrentCell(1, 1)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert table.is_ticked(1)


def test_the_tick_box_is_big_enough_to_hit(table) -> None:
    box = table.cellWidget(0, 0)
    assert isinstance(box, QCheckBox)
    opt = QStyleOptionButton()
    box.initStyleOption(opt)
    indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, opt, box)
    assert indicator.width() >= 22 and indicator.height() >= 22
    assert table.rowHeight(0) >= indicator.height() + 8


def test_receive_all_ticks_the_required_components_only(table, ctx) -> None:
    p = CatalogService(ctx).get(PROCEDURE)
    assert any(not c.required for c in p.components)
    table.tick_required()
    assert {c.code for c in table.received()} == {c.code for c in p.components if c.required}
    assert table.missing_required() == []
    assert table.item(2, 5).text() == "Nếu có"
