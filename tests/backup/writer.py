"""A second process that keeps receiving dossiers (with a digitized file every other one) into a data folder.

Each dossier's code is appended to the side file only once ``receive`` (and the attachment) returned: committed.
Runs until the stop file appears. Usage: python writer.py DATA_DIR SIDE_FILE STOP_FILE
"""

from __future__ import annotations

import sys
from pathlib import Path

from motcua.config import CounterSettings, Settings, with_overrides
from motcua.domain.applicant import Applicant, ApplicantKind
from motcua.domain.dossier import ReceivedComponent
from motcua.services.catalog import CatalogService
from motcua.services.context import open_context
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.services.scanning_station import ScanningStation

BIRTH = "1.001193"


def main(data: Path, side: Path, stop: Path) -> None:
    ctx = open_context(with_overrides(Settings(), counter=CounterSettings(lease_max_per_station_day=10**6)), data)
    CatalogService(ctx).ensure_sample()
    svc = ReceptionService(ctx)
    station = ScanningStation(ctx)
    p = svc.procedure(BIRTH)
    components = tuple(ReceivedComponent(c.code, c.name, 1) for c in p.components)
    n = 0
    with open(side, "a", encoding="utf-8") as out:
        while not stop.exists():
            n += 1
            d = svc.receive(
                ReceiveRequest(BIRTH, Applicant(ApplicantKind.PERSON, f"Nguyễn Văn Ghi {n}", ""), components)
            )
            if n % 2 == 0:
                pdf = b"%PDF-1.4\n% writer " + str(n).encode() * 200 + b"\n%%EOF\n"
                station.attach_pdf(pdf, d.code, components[0].code, 1, "bw")
            out.write(d.code + "\n")  # acknowledged: committed above
            out.flush()
    ctx.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
