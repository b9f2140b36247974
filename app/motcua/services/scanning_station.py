"""The scanning station: camera frames, scans and PDF files become pages, pages become one compact PDF per
dossier component, stored content-addressed and queued for upload; earlier documents of the same citizen can
be attached again instead of rescanned.

The UI owns the list of pages (immutable ``ScannedPage`` values); everything slow here (detection,
rectification, encoding, writing) is meant to run off the GUI thread.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from motcua.devices.camera import Camera, CameraDevice, describe_source, list_cameras, open_camera
from motcua.devices.folder import WatchedFolder
from motcua.documents.scan.detect import Corners
from motcua.documents.scan.framing import cut_message, sides_leaving
from motcua.documents.scan.live import LiveTracker, sharpen
from motcua.documents.scan.modes import Mode, parse_mode, to_mode
from motcua.documents.scan.pages import MIN_DPI
from motcua.documents.scan.pdf_import import render_pdf_pages
from motcua.documents.scan.quality import quality_issues
from motcua.documents.scan.session import CaptureSession, ScannedPage, cut_off, page_from_image, pdf_of, rectified
from motcua.documents.scan.still import StillDetector
from motcua.domain.attachment import Attachment
from motcua.domain.errors import ValidationError
from motcua.domain.sync_envelope import ATTACHMENT
from motcua.i18n import tr
from motcua.services.context import AppContext
from motcua.store import attachments as repo
from motcua.store import audit, replica_docs
from motcua.store import dossiers as dossier_repo
from motcua.store.sql import SqliteSql

__all__ = [
    "CameraDevice",
    "CaptureSession",
    "CapturedPage",
    "LiveFeed",
    "LiveFrame",
    "Mode",
    "ModeAdvice",
    "ScannedPage",
    "ScanningStation",
]

PREVIEW_WIDTH = 640


@dataclass(frozen=True)
class LiveFrame:
    """One frame of the live view: the frame, the page found in it, whether part of that page is outside the
    frame (``cut``), and whether to capture it now."""

    frame: np.ndarray
    corners: Corners | None
    capture_now: bool
    cut: bool = False

    def cut_sides(self) -> list[str]:
        """The sides of the frame the page runs out by (none when it is whole)."""
        if not self.cut or self.corners is None:
            return []
        return sides_leaving(self.corners, self.frame.shape)

    def cut_warning(self) -> str:
        """Which way to move the page when part of it is outside the frame ("" when it is whole)."""
        return cut_message(self.cut_sides()) if self.cut and self.corners is not None else ""


@dataclass(frozen=True)
class CapturedPage:
    """A page with what the clerk sees of it: a rectified preview and the quality warnings."""

    page: ScannedPage
    preview: np.ndarray
    warnings: tuple[str, ...]
    red_ink: bool = False  # a red seal (or other red ink) is on the page: black & white would lose it
    size: tuple[int, int] = (0, 0)  # (width, height) of the page as stored, in pixels


class LiveFeed:
    """Frames from a camera with the page outline found in each, and the auto-capture decision.

    Args:
        camera: the source; closed by ``close``.
        auto_capture: whether a still page triggers a capture.
        still: the still-page detector (defaults tuned for about five frames a second).
    """

    def __init__(self, camera: Camera, auto_capture: bool = True, still: StillDetector | None = None) -> None:
        self._camera = camera
        self.auto_capture = auto_capture
        self._still = still or StillDetector()
        self._tracker = LiveTracker()

    def next(self) -> LiveFrame | None:
        """The next frame, or None when the source has ended. The outline is the live view's (found in a small
        copy of the frame, followed from frame to frame); ``ScanningStation.capture`` sharpens it."""
        frame = self._camera.read()
        if frame is None:
            return None
        found = self._tracker.update(frame)
        corners = found.corners if found is not None else None
        cut = found is not None and found.cut
        # A page partly outside the frame is never taken on its own: the clerk is asked to move it first.
        capture = self._still.update(frame, corners is not None and not cut) and self.auto_capture
        return LiveFrame(frame, corners, capture, cut)

    def captured_by_hand(self) -> None:
        self._still.disarm()

    def close(self) -> None:
        self._camera.close()


def _preview(image: np.ndarray) -> np.ndarray:
    h, w = image.shape[:2]
    scale = PREVIEW_WIDTH / w
    return cv2.resize(image, (PREVIEW_WIDTH, max(1, round(h * scale))), interpolation=cv2.INTER_AREA)


# -- output mode per component ---------------------------------------------------------------------------------
# Two cues decide a component's mode. Before any page is taken, its name: Vietnamese names a paper head first
# ("Tờ khai …", "Đơn …", "Giấy chứng nhận …"), and papers issued or certified by an authority carry a red seal
# that black & white would turn into a grey smudge, while forms and letters the citizen writes are text, which
# B&W keeps sharp in a tenth of the bytes. Then the first page itself: red ink on it (a seal the name did not
# announce, e.g. an authorisation certified by the commune) turns B&W into colour. Blue ink does not: citizens
# fill forms with blue ballpoint, and making every form colour would cost ten times the space for nothing.
# Whatever the clerk picks by hand wins over both.

_BW_HEADS = (
    "tờ khai",
    "đơn",
    "giấy đề nghị",
    "đề nghị",
    "văn bản cam đoan",
    "văn bản đề nghị",
    "văn bản ủy quyền",
    "văn bản đồng ý",
    "dự thảo",
    "thông báo",
    "thông tin",
    "phiếu yêu cầu",
    "bản kê khai",
    "bản dịch",
    "phương án",
    "ý kiến",
)
_GREY_HEADS = ("bản vẽ",)
_COLOUR_HINTS = (
    "bản chính",
    "bản gốc",
    "giấy chứng nhận",
    "giấy phép",
    "quyết định",
    "giấy khai sinh",
    "giấy chứng sinh",
    "giấy báo tử",
    "giấy chứng tử",
    "trích lục",
    "giấy xác nhận",
    "văn bản xác nhận",
    "văn bản của cơ quan",
    "chứng thực",
    "hợp pháp hóa",
    "bằng ",
    "bản án",
    "lý lịch tư pháp",
    "giấy khám sức khỏe",
    "căn cước",
    "hộ chiếu",
    "ảnh ",
)
# Share of a page (edges left out) in saturated red above which it bears a seal; the fixtures' thin seal rings
# cover 0.17–0.25 %, a page with no red ink 0.
_RED_INK_SHARE = 0.0005
_EDGE_SHARE = 0.03


@dataclass(frozen=True)
class ModeAdvice:
    """The mode a component should be scanned in, and why, in words for the clerk."""

    mode: Mode
    reason: str


def mode_for_component(name: str) -> ModeAdvice:
    """The default output mode of a dossier component, from its name (see the comment above)."""
    text = unicodedata.normalize("NFC", name).lower().strip()
    if text.startswith(_BW_HEADS):
        return ModeAdvice(Mode.BW, tr("tờ khai, đơn, văn bản người dân viết"))
    if text.startswith(_GREY_HEADS):
        return ModeAdvice(Mode.GREY, tr("bản vẽ, giữ nét mảnh"))
    if any(hint in text for hint in _COLOUR_HINTS):
        return ModeAdvice(Mode.COLOUR, tr("giấy tờ được cấp hoặc chứng thực, giữ dấu đỏ"))
    return ModeAdvice(Mode.BW, tr("giấy tờ thường"))


def red_ink_share(image: np.ndarray) -> float:
    """Share of the page (edges left out, where a sliver of a wooden desk may show) in saturated red."""
    if image.ndim != 3:
        return 0.0
    h, w = image.shape[:2]
    margin = round(min(h, w) * _EDGE_SHARE)
    hsv = cv2.cvtColor(image[margin : h - margin, margin : w - margin], cv2.COLOR_BGR2HSV)
    hue, sat, val = cv2.split(hsv)
    red = ((hue <= 8) | (hue >= 165)) & (sat >= 90) & (val >= 70)
    return float(red.mean()) if red.size else 0.0


class ScanningStation:
    """Use cases of the counter's scanning station.

    Args:
        ctx: the workstation context.
        camera_factory: how to open the camera (default: ``settings.camera``); tests pass a fake.
    """

    def __init__(self, ctx: AppContext, camera_factory: Callable[[], Camera] | None = None) -> None:
        self.ctx = ctx
        self._camera_factory = camera_factory
        self.dpi = MIN_DPI

    @property
    def data_dir(self) -> Path:
        return self.ctx.store.path.parent

    # -- sources -------------------------------------------------------------------------------------------
    def cameras(self) -> list[CameraDevice]:
        """The cameras on this computer, named where the platform names them (slow: not on the GUI thread)."""
        return list_cameras()

    @property
    def default_source(self) -> str:
        """The camera of the settings (``[camera] source``), used until the clerk chooses another."""
        return self.ctx.settings.camera.source

    def describe_source(self, source: str) -> str:
        return describe_source(source)

    def open_feed(
        self, auto_capture: bool = True, source: str | None = None, size: tuple[int, int] | None = None
    ) -> LiveFeed:
        """Open the camera: the one chosen on screen (a device or a video file) or the one in the settings.

        The settings' camera is the one a ``camera_factory`` stands for (tests, the no-hardware demo)."""
        s = self.ctx.settings.camera
        if self._camera_factory is not None and source in (None, s.source):
            camera = self._camera_factory()
        else:
            width, height = size or (s.width, s.height)
            camera = open_camera(source or s.source, width, height)
        return LiveFeed(camera, auto_capture)

    def watch_folder(self, folder: Path, include_existing: bool = False) -> WatchedFolder:
        return WatchedFolder(folder, include_existing)

    def poll_folder(self, watch: WatchedFolder) -> list[CapturedPage]:
        """Pages from the files the scanner finished writing since the last poll."""
        return self.pages_from_files(watch.poll())

    def pages_from_files(self, paths: Sequence[Path]) -> list[CapturedPage]:
        """Pages from image files (photos are outlined like camera frames) and PDF files (taken as flat)."""
        pages = []
        for path in paths:
            if path.suffix.lower() == ".pdf":
                pages += [self.prepare(page_from_image(img, flat=True)) for img in render_pdf_pages(path, self.dpi)]
                continue
            img = cv2.imdecode(np.fromfile(str(path), dtype=np.uint8), cv2.IMREAD_COLOR)
            if img is None:
                raise ValidationError(tr("Không đọc được ảnh {file}", file=path.name))
            pages.append(self.prepare(page_from_image(img)))
        return pages

    # -- pages ---------------------------------------------------------------------------------------------
    def capture(self, frame: np.ndarray, corners: Corners | None = None, page: str = "auto") -> CapturedPage:
        """A page from a camera frame: the given outline (the live view's, fitted again at full resolution),
        else the detected one, else the whole frame."""
        if corners is None:
            return self.prepare(page_from_image(frame, page=page))
        return self.prepare(ScannedPage(frame, sharpen(frame, corners), detected=True, page=page))

    def prepare(self, page: ScannedPage) -> CapturedPage:
        """Rectify a (new or edited) page for display and judge it: quality, part of it outside the photo, red
        ink on it."""
        image = rectified(page, self.dpi)
        warnings = tuple(issue.message for issue in quality_issues(image))
        if cut_off(page):
            warnings = (cut_message(sides_leaving(page.corners, page.frame.shape)), *warnings)
        preview = _preview(image)
        red_ink = red_ink_share(preview) >= _RED_INK_SHARE
        return CapturedPage(page, preview, warnings, red_ink, (image.shape[1], image.shape[0]))

    # -- saving --------------------------------------------------------------------------------------------
    def components(self, dossier_code: str) -> list[tuple[str, str]]:
        """(code, name) of the components a file can be attached to: the dossier's, else its procedure's."""
        db = self.ctx.store.read()
        d = dossier_repo.get(db, dossier_code)
        if d.components:
            return [(c.code, c.name) for c in d.components]
        from motcua.store import catalog as catalog_repo

        return [(c.code, c.name) for c in catalog_repo.get(db, d.procedure_code).components]

    def save(self, pages: Sequence[ScannedPage], dossier_code: str, component_code: str, mode: str) -> Attachment:
        """Make the PDF of ``pages`` and attach it to the dossier's component."""
        if not pages:
            raise ValidationError(tr("Chưa có trang nào để lưu"), "pages")
        m = parse_mode(mode)
        self._check_component(dossier_code, component_code)
        data = pdf_of(pages, m, self.dpi, title=f"{dossier_code} {component_code}")
        return self.attach_pdf(data, dossier_code, component_code, len(pages), m)

    def attach_pdf(
        self,
        data: bytes,
        dossier_code: str,
        component_code: str,
        pages: int,
        mode: str | Mode,
        reused_from: int | None = None,
    ) -> Attachment:
        """Store the file (before the row that references it), then the row, audit and outbox together."""
        sha, rel = repo.store_file(self.data_dir, data)
        now = self.ctx.clock()
        with self.ctx.store.write() as db:
            known = repo.find(db, dossier_code, component_code, sha)
            att = repo.add(
                db,
                dossier_code=dossier_code,
                component_code=component_code,
                sha256=sha,
                path=rel,
                pages=pages,
                mode=str(parse_mode(mode)),
                size=len(data),
                created_by=self.ctx.clerk,
                now=now,
                reused_from=reused_from,
            )
            if known is None:
                sql = SqliteSql(db)
                replica_docs.register(sql, sha, len(data), "local", now)
                self.ctx.replica.record_local(
                    sql,
                    kind=ATTACHMENT,
                    dossier=dossier_code,
                    data=repo.event_data(db, att),
                    documents=(sha,),
                    now=now,
                )
            audit.record(
                db,
                actor=self.ctx.clerk,
                station_id=self.ctx.station_id,
                action="reuse_attachment" if reused_from else "attach",
                entity=dossier_code,
                at=now,
                component=component_code,
                sha256=sha,
            )
        self.ctx.changed()
        return self._named([att])[0]

    def _check_component(self, dossier_code: str, component_code: str) -> None:
        if component_code not in {c for c, _name in self.components(dossier_code)}:
            raise ValidationError(
                tr("Thành phần {component} không thuộc hồ sơ {code}", component=component_code, code=dossier_code),
                "component",
            )

    def preview_in_mode(self, preview: np.ndarray, mode: str) -> np.ndarray:
        """The page preview as it will be stored (B&W can lose faint ink: the clerk should see that first)."""
        return to_mode(preview, mode)

    def page_in_mode(self, page: ScannedPage, mode: str) -> np.ndarray:
        """The page at full resolution exactly as it will be stored: what the clerk zooms into to check small
        print before saving."""
        return to_mode(rectified(page, self.dpi), mode)

    def mode_for_component(self, name: str) -> ModeAdvice:
        return mode_for_component(name)

    # -- reading and reuse ---------------------------------------------------------------------------------
    def attachments_for(self, dossier_code: str) -> list[Attachment]:
        return self._named(repo.for_dossier(self.ctx.store.read(), dossier_code))

    def _named(self, attachments: list[Attachment]) -> list[Attachment]:
        """Give each attachment its component's name (what the clerk recognises, not "TP2")."""
        db = self.ctx.store.read()
        names: dict[str, dict[str, str]] = {}
        out = []
        for a in attachments:
            if a.dossier_code not in names:
                d = dossier_repo.get(db, a.dossier_code)
                names[a.dossier_code] = {c.code: c.name for c in d.components}
            out.append(replace(a, component_name=names[a.dossier_code].get(a.component_code, "")))
        return out

    def file_path(self, attachment: Attachment) -> Path:
        return self.data_dir / attachment.path

    def reuse_candidates(self, id_number: str, exclude_dossier: str | None = None) -> list[Attachment]:
        """Documents digitized for this ID number in the citizen's earlier dossiers."""
        return self._named(repo.for_id_number(self.ctx.store.read(), id_number.strip(), exclude_dossier))

    def reuse_for(self, dossier_code: str) -> list[Attachment]:
        """Earlier documents of the same citizen, offered when their dossier is opened."""
        d = dossier_repo.get(self.ctx.store.read(), dossier_code)
        already = {(a.sha256, a.component_code) for a in self.attachments_for(dossier_code)}
        return [
            a
            for a in self.reuse_candidates(d.applicant.id_number, exclude_dossier=dossier_code)
            if (a.sha256, a.component_code) not in already
        ]

    def attach_reused(self, attachment_id: int, dossier_code: str, component_code: str | None = None) -> Attachment:
        """Attach an earlier document (same bytes, same file) to this dossier; the component defaults to its own."""
        source = repo.get(self.ctx.store.read(), attachment_id)
        d = dossier_repo.get(self.ctx.store.read(), dossier_code)
        if not d.applicant.id_number or d.applicant.id_number != source.applicant_id_number:
            raise ValidationError(tr("Tài liệu này thuộc về người nộp khác"), "attachment")
        component = component_code or source.component_code
        self._check_component(dossier_code, component)
        data = self.file_path(source).read_bytes()
        if repo.sha256_of(data) != source.sha256:
            raise ValidationError(tr("Tệp của tài liệu {sha} bị hỏng hoặc đã thay đổi", sha=source.sha256[:12]))
        return self.attach_pdf(data, dossier_code, component, source.pages, source.mode, reused_from=source.id)
