"""The Windows installer script (installer/windows/motcua.nsi) compiles with NSIS against a stand-in build.

makensis runs on Linux (the Debian package ``nsis``, installed by ``installer/install.sh --dev``); what the installer
then does on Windows (the service, the Run keys, the ACLs, the shortcuts) is checked on Windows only
(docs/install-windows.md).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "installer" / "windows" / "motcua.nsi"
MODES = ("counter", "kiosk", "display", "supervisor")


def _makensis() -> str:
    found = shutil.which("makensis")
    if found is None:
        pytest.fail("makensis is missing: run `bash installer/install.sh --dev` (it installs the nsis package)")
    return found


def _fake_dist(root: Path) -> Path:
    """A stand-in for PyInstaller's one-folder build: empty programs and the bundled folders."""
    dist = root / "MotCua Desk"
    (dist / "_internal" / "resources" / "i18n").mkdir(parents=True)
    (dist / "_internal" / "kiosk_config").mkdir(parents=True)
    for exe in ("motcua.exe", "motcua-desk.exe", "motcua-service.exe"):
        (dist / exe).write_bytes(b"")
    (dist / "_internal" / "resources" / "i18n" / "en.json").write_text("{}", encoding="utf-8")
    (dist / "_internal" / "kiosk_config" / "centre.toml").write_text("", encoding="utf-8")
    return dist


def _compile(dist: Path, out: Path, version: str = "1.2.3") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_makensis(), "-V2", f"-DDIST={dist}", f"-DVERSION={version}", f"-DOUTFILE={out}", str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_installer_compiles_into_a_windows_program(tmp_path: Path) -> None:
    out = tmp_path / "MotCuaDesk-Setup-1.2.3.exe"
    done = _compile(_fake_dist(tmp_path), out)
    assert done.returncode == 0, done.stdout + done.stderr
    data = out.read_bytes()
    assert len(data) > 10_000 and data[:2] == b"MZ"
    assert "1.2.3".encode("utf-16-le") in data  # the version resource, from /DVERSION


def test_a_build_folder_without_the_programs_is_refused(tmp_path: Path) -> None:
    dist = _fake_dist(tmp_path)
    (dist / "motcua-service.exe").unlink()
    done = _compile(dist, tmp_path / "setup.exe")
    assert done.returncode != 0
    assert "motcua-service.exe not found" in done.stdout + done.stderr


def test_the_script_has_each_modes_shortcut_the_service_and_keeps_the_data() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    for mode in MODES:
        assert re.search(rf'CreateShortCut .*"\$INSTDIR\\motcua-desk.exe" "run --mode {mode}"', text), mode
    assert 'LangString LnkCounter ${LANG_VIETNAMESE} "Quầy tiếp nhận"' in text
    assert '"$INSTDIR\\motcua-service.exe" install --host 0.0.0.0' in text
    assert '"$INSTDIR\\motcua-service.exe" remove' in text
    assert "RequestExecutionLevel admin" in text and 'InstallDir "$PROGRAMFILES64\\${PRODUCT}"' in text
    assert '!insertmacro MUI_LANGUAGE "Vietnamese"' in text and '!insertmacro MUI_LANGUAGE "English"' in text
    for value in ("MotCuaKiosk", "MotCuaDisplay"):
        assert f'WriteRegStr HKLM "${{RUN_KEY}}" "{value}"' in text
        assert f'DeleteRegValue HKLM "${{RUN_KEY}}" "{value}"' in text
    # The data folder goes only in the uninstaller's optional section (unticked: /o) or with /REMOVEDATA.
    removals = [line for line in text.splitlines() if 'RMDir /r "$DataDir"' in line]
    assert len(removals) == 1
    data_section = text.split('Section /o "un.$(SecRemoveData)" UNSEC_DATA', 1)[1].split("SectionEnd", 1)[0]
    assert 'RMDir /r "$DataDir"' in data_section
    assert "/inheritance:r" in text and "S-1-5-32-544" in text and "NT SERVICE\\${SERVICE}" in text


def test_the_service_name_is_the_one_the_program_registers() -> None:
    from motcua import winservice

    assert f'!define SERVICE "{winservice.SERVICE_NAME}"' in SCRIPT.read_text(encoding="utf-8")
