"""Today's key numbers as tiles, and the queue per service (waiting, the longest wait, issued, served, times)."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QTableWidget, QVBoxLayout, QWidget

from motcua.domain.procedures import Channel
from motcua.domain.reports.daily import DailySummary, ServiceRow
from motcua.i18n import tr
from motcua.ui.supervisor import wording as w
from motcua.ui.supervisor.live import LiveState
from motcua.ui.supervisor.tables import Cell, fill, make_table

COLUMNS = 6  # two rows of six fit 1366 pixels with the longest English captions


class FigureTile(QFrame):
    """A caption, a big number and a line of detail."""

    def __init__(self, caption: str, tip: str = "") -> None:
        super().__init__()
        self.setObjectName("tile")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 6, 4)
        lay.setSpacing(0)
        self.caption = QLabel(caption)
        self.caption.setObjectName("tileCaption")
        self.value = QLabel(w.NONE)
        self.value.setObjectName("tileValue")
        self.detail = QLabel("")
        self.detail.setObjectName("tileDetail")
        for label in (self.caption, self.value, self.detail):
            # Ignored: a long English caption or detail is cut at the tile's edge, never widens the window.
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            lay.addWidget(label)
        if tip:
            self.setToolTip(tip)

    def set(self, value: str, detail: str = "", tone: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.detail.setToolTip(detail)  # the whole line, should the tile be too narrow for it
        if self.value.property("tone") != tone:
            self.value.setProperty("tone", tone)
            self.value.style().unpolish(self.value)
            self.value.style().polish(self.value)


class FiguresStrip(QWidget):
    """The day's tiles; ``tiles`` by name (tests read them)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(4)
        specs = (
            ("issued", tr("Số đã phát"), ""),
            ("waiting", tr("Đang chờ"), ""),
            ("wait", tr("Thời gian chờ"), tr("Trung bình; dòng dưới: 90% số người chờ không quá")),
            ("service", tr("Thời gian phục vụ"), tr("Trung bình; dòng dưới: 90% số lượt không quá")),
            ("satisfaction", tr("Hài lòng"), tr("Tỷ lệ đánh giá hài lòng và rất hài lòng hôm nay")),
            ("sync", tr("Chưa đồng bộ"), tr("Thay đổi của máy này chưa gửi lên trung tâm")),
            ("received", tr("Hồ sơ tiếp nhận"), ""),
            ("due", tr("Đến hạn hôm nay"), tr("Hồ sơ đang giải quyết có hẹn trả trong hôm nay")),
            ("overdue", tr("Hồ sơ quá hạn"), tr("Hồ sơ đang giải quyết đã quá hẹn trả")),
            ("supplements", tr("Chờ bổ sung"), tr("Hồ sơ đang chờ công dân bổ sung")),
            ("transfers", tr("Chuyển đến · đi"), tr("Hồ sơ chuyển đến trung tâm và chuyển đi cơ quan khác hôm nay")),
            ("on_time", tr("Giải quyết đúng hạn"), tr("Hồ sơ có kết quả hôm nay: trước hạn và đúng hạn trên tổng số")),
        )
        self.tiles: dict[str, FigureTile] = {}
        for i, (key, caption, tip) in enumerate(specs):
            tile = FigureTile(caption, tip)
            self.tiles[key] = tile
            grid.addWidget(tile, i // COLUMNS, i % COLUMNS)
        for c in range(COLUMNS):
            grid.setColumnStretch(c, 1)

    def show_state(self, state: LiveState) -> None:
        s, st, t = state.summary, state.status, self.tiles
        t["issued"].set(
            w.number(s.tickets_issued),
            tr(
                "Xong {served} · Vắng {no_show}", served=w.number(s.tickets_served), no_show=w.number(s.tickets_no_show)
            ),
        )
        longest = max((r.longest_wait_s for r in s.services if r.longest_wait_s is not None), default=None)
        t["waiting"].set(
            w.number(s.tickets_waiting),
            tr("Lâu nhất {time}", time=w.duration(longest)) if longest is not None else "",
            "warn" if longest is not None and longest > 30 * 60 else "",
        )
        t["wait"].set(w.duration(s.wait.mean_s), _p90(s.wait.p90_s))
        t["service"].set(w.duration(s.service.mean_s), _p90(s.service.p90_s))
        r = s.ratings
        t["satisfaction"].set(
            w.percent(r.satisfied_share),
            tr("{n} lượt đánh giá", n=w.number(r.total)),
            "error" if r.dissatisfied and (r.satisfied_share or 0) < 0.9 else "",
        )
        t["sync"].set(
            w.number(st.outbox_pending),
            tr("Tạm dừng {parked} · Xung đột {conflicts}", parked=st.outbox_parked, conflicts=st.conflicts),
            "error" if st.outbox_parked or st.conflicts else "",
        )
        t["received"].set(w.number(s.received), _online(s))
        t["received"].setToolTip(_channels(s))
        t["due"].set(w.number(s.due_today))
        t["overdue"].set(w.number(len(s.overdue)), "", "error" if s.overdue else "ok")
        t["supplements"].set(w.number(s.supplements_pending))
        t["transfers"].set(f"{w.number(s.transfers_in)} · {w.number(s.transfers_out)}")
        t["on_time"].set(
            w.percent(s.on_time_share),
            tr(
                "Sớm {early} · Đúng {on_time} · Trễ {late}",
                early=s.resolved_early,
                on_time=s.resolved_on_time,
                late=s.resolved_late,
            ),
            "error" if s.resolved_late else "",
        )


def _p90(seconds: float | None) -> str:
    return tr("90%: {time}", time=w.duration(seconds)) if seconds is not None else ""


def _online(s: DailySummary) -> str:
    return tr("trong đó trực tuyến {n}", n=w.number(dict(s.received_by_channel).get(Channel.ONLINE, 0)))


def _channels(s: DailySummary) -> str:
    counts = dict(s.received_by_channel)
    return " · ".join(f"{w.channel(c)} {counts.get(c, 0)}" for c in (Channel.DIRECT, Channel.ONLINE, Channel.POSTAL))


class ServicesTable(QWidget):
    """Each service's queue today."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.title = title = QLabel(tr("Hàng đợi theo dịch vụ (phút)"))
        title.setProperty("role", "section")
        title.setMinimumHeight(self.fontMetrics().height() + 20)  # level with the counters' title and buttons
        lay.addWidget(title)
        headers = (
            tr("Dịch vụ"),
            tr("Đang\nchờ"),
            tr("Chờ lâu\nnhất"),
            tr("Phát · Xong\n· Vắng"),
            tr("Chờ\nTB · 90%"),
            tr("Phục vụ\nTB · 90%"),
        )
        self.table: QTableWidget = make_table(headers, 0, sortable=True)
        lay.addWidget(self.table, 1)

    def show_rows(self, services: tuple[ServiceRow, ...]) -> None:
        fill(self.table, [(r.code, _service_cells(r)) for r in services])


def _service_cells(r: ServiceRow) -> list[Cell]:
    long_wait = r.longest_wait_s is not None and r.longest_wait_s > 30 * 60
    return [
        Cell(r.name, tip=f"{r.name} ({r.code})"),
        Cell(w.number(r.waiting), r.waiting, number=True, tone="warn" if r.waiting else ""),
        Cell(w.in_minutes(r.longest_wait_s), r.longest_wait_s or 0.0, number=True, tone="warn" if long_wait else ""),
        Cell(
            f"{w.number(r.issued)} · {w.number(r.served)} · {w.number(r.no_show)}",
            r.issued,
            number=True,
            tip=tr(
                "Đã phát {issued} · đã xong {served} · vắng mặt {no_show}",
                issued=r.issued,
                served=r.served,
                no_show=r.no_show,
            ),
        ),
        Cell(w.spread_minutes(r.wait), r.wait.mean_s or 0.0, number=True),
        Cell(w.spread_minutes(r.service), r.service.mean_s or 0.0, number=True),
    ]
