"""Fees of a dossier as the procedure prices them: per dossier, per copy, or per page with a second tier and a
cap per copy (chứng thực: 2.000 đ a page for pages 1–2, 1.000 đ from page 3, at most 200.000 đ a copy)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from motcua.domain.errors import ValidationError
from motcua.domain.procedures import Fee, FeeBasis, Procedure
from motcua.i18n import tr


class PaymentMethod(StrEnum):
    CASH = "cash"  # tiền mặt
    TRANSFER = "transfer"  # chuyển khoản (VietQR)

    @property
    def label(self) -> str:
        return tr("Tiền mặt") if self is PaymentMethod.CASH else tr("Chuyển khoản")


@dataclass(frozen=True, slots=True)
class FeeLine:
    """One fee of one dossier: what it is, what it was counted on, and the amount due."""

    name: str
    per: FeeBasis
    quantity: int  # copies, or pages of each copy, or 1
    amount_vnd: int
    copies: int = 1  # for a fee per page: how many copies of those pages

    def basis_text(self) -> str:
        """What the amount was counted on, as a receipt says it: "5 trang × 2 bản", "2 bản", "1 hồ sơ"."""
        if self.per is FeeBasis.PAGE:
            return tr("{pages} trang × {copies} bản", pages=self.quantity, copies=self.copies)
        if self.per is FeeBasis.COPY:
            return tr("{n} bản", n=self.quantity)
        return tr("{n} hồ sơ", n=self.quantity)


@dataclass(frozen=True, slots=True)
class Payment:
    """Money taken for a dossier: at reception or later (the status machine's pay step)."""

    method: PaymentMethod
    amount_vnd: int
    reference: str = ""  # the bank transfer's reference, or the receipt number for cash


def with_later_payments(first: Payment | None, later: list[dict[str, object]]) -> Payment | None:
    """What a dossier has been paid in all: the payment at reception plus the ``fee.paid`` events' (``method``,
    ``amount_vnd``, ``reference``), in their order; the method and reference are the last payment's."""
    if not later:
        return first
    amount = first.amount_vnd if first is not None else 0
    for p in later:
        amount += int(str(p["amount_vnd"]))
    last = later[-1]
    return Payment(PaymentMethod(str(last["method"])), amount, str(last.get("reference", "")))


def fee_amount(fee: Fee, copies: int = 1, pages: int = 1) -> int:
    """What ``fee`` comes to for ``copies`` copies of ``pages`` pages each."""
    if copies < 1 or pages < 1:
        raise ValidationError(tr("Số bản và số trang phải từ 1 trở lên"), "copies")
    if fee.per is FeeBasis.DOSSIER:
        return fee.amount_vnd
    if fee.per is FeeBasis.COPY:
        return fee.amount_vnd * copies
    first = pages if not fee.tier_from else min(pages, fee.tier_from - 1)
    rest = pages - first
    per_copy = first * fee.amount_vnd + rest * (fee.next_amount_vnd or fee.amount_vnd)
    if fee.cap_vnd:
        per_copy = min(per_copy, fee.cap_vnd)
    return per_copy * copies


def fee_lines(procedure: Procedure, copies: int = 1, pages: int = 1) -> tuple[FeeLine, ...]:
    """Every fee of the procedure for this dossier (zero-amount fees kept: the form lists them as "miễn")."""
    lines = []
    for f in procedure.fees:
        quantity = {FeeBasis.DOSSIER: 1, FeeBasis.COPY: copies, FeeBasis.PAGE: pages}[f.per]
        lines.append(FeeLine(f.name, f.per, quantity, fee_amount(f, copies, pages), copies))
    return tuple(lines)


def total(lines: tuple[FeeLine, ...]) -> int:
    return sum(line.amount_vnd for line in lines)


@dataclass(frozen=True, slots=True)
class DayFees:
    """The fees of a day's dossiers: what they were charged, and what was paid at the counter by each means."""

    dossiers: int = 0
    charged_vnd: int = 0
    cash_vnd: int = 0
    transfer_vnd: int = 0

    @property
    def unpaid_vnd(self) -> int:
        return max(self.charged_vnd - self.cash_vnd - self.transfer_vnd, 0)
