"""The format of a search-aliases file (``search_aliases.json``) as pydantic models, loaded only when such a file is
read: building the models takes longer than a one-shot command that never searches should wait."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from motcua.domain.procedures import PROCEDURE_CODE
from motcua.domain.text import search_words


class AliasModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    terms: list[str] = Field(min_length=1)
    means: list[str] = Field(default_factory=list)
    codes: list[str] = Field(default_factory=list)
    note: str = ""

    @field_validator("terms", "means")
    @classmethod
    def _has_words(cls, values: list[str]) -> list[str]:
        for v in values:
            if not search_words(v):
                raise ValueError("no_words")
        return values

    @field_validator("codes")
    @classmethod
    def _are_codes(cls, values: list[str]) -> list[str]:
        for v in values:
            if not PROCEDURE_CODE.match(v.strip()):
                raise ValueError(f"bad_code:{v}")
        return values

    @model_validator(mode="after")
    def _means_something(self) -> AliasModel:
        if not self.means and not self.codes:
            raise ValueError("no_meaning")
        return self


class FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Literal[1] = 1
    description: str = ""
    aliases: list[AliasModel]
