"""Catalog use cases: import (all or nothing), export, search, and the sample or synthetic catalogs."""

from __future__ import annotations

from pathlib import Path

from motcua.domain.accounts import Permission, require
from motcua.domain.catalog_io.csv_format import dump_catalog_csv
from motcua.domain.catalog_io.files import load_catalog_file
from motcua.domain.catalog_io.json_format import dump_catalog_json, load_catalog_json
from motcua.domain.catalog_io.synthetic import generate_synthetic_catalog
from motcua.domain.errors import ValidationError
from motcua.domain.procedures import Procedure
from motcua.domain.search_terms import current_search_terms
from motcua.i18n import tr
from motcua.paths import resource_path
from motcua.services.context import AppContext
from motcua.store import audit
from motcua.store import catalog as repo


class CatalogService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def import_file(self, path: Path) -> int:
        """Validate the whole file first; a bad row means nothing of the file is imported."""
        require(self.ctx.role, Permission.IMPORT_CATALOG)
        procedures = load_catalog_file(path)
        return self.import_procedures(procedures, source=str(path))

    def import_published(self, body: str, source: str = "sync") -> int:
        """A catalog published upstream (JSON text): validated whole, then applied in one transaction."""
        return self.import_procedures(load_catalog_json(body), source=source)

    def import_procedures(self, procedures: list[Procedure], source: str = "") -> int:
        now = self.ctx.clock()
        with self.ctx.store.write() as db:
            n = repo.upsert_all(db, procedures, now)
            audit.record(
                db,
                actor=self.ctx.clerk,
                station_id=self.ctx.station_id,
                action="catalog_import",
                entity="catalog",
                at=now,
                count=n,
                source=source,
            )
        return n

    def export_file(self, path: Path) -> int:
        procedures = repo.all_procedures(self.ctx.store.read())
        if path.suffix.lower() == ".json":
            text = dump_catalog_json(procedures)
        elif path.suffix.lower() == ".csv":
            text = dump_catalog_csv(procedures)
        else:
            raise ValidationError(tr("Chỉ xuất được tệp .json hoặc .csv"), "path")
        path.write_text(text, encoding="utf-8")
        return len(procedures)

    def ensure_sample(self) -> int:
        """A fresh install gets the shipped sample catalog so that the counter can work at once."""
        if repo.count(self.ctx.store.read()) > 0:
            return 0
        return self.import_file(resource_path("catalog", "sample_catalog.json"))

    def load_synthetic(self, n: int = 2199, seed: int = 7) -> int:
        return self.import_procedures(generate_synthetic_catalog(n, seed), source=f"synthetic:{n}:{seed}")

    def search(self, text: str, sector: str | None = None, limit: int = 100) -> list[Procedure]:
        return repo.search(self.ctx.store.read(), text, sector, limit)

    def search_terms_problem(self) -> str:
        """Why the centre's own search words were left out ('' when they are in force), to show the clerk."""
        return current_search_terms().problem

    def sectors(self) -> list[str]:
        return repo.sectors(self.ctx.store.read())

    def get(self, code: str) -> Procedure:
        return repo.get(self.ctx.store.read(), code)
