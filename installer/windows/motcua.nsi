; MotCua Desk - Windows installer (NSIS 3, Modern UI 2). Per-machine, 64-bit, needs an administrator.
;
;   makensis -DDIST=dist\MotCua Desk -DVERSION=1.2.3 [-DOUTFILE=MotCuaDesk-Setup-1.2.3.exe] installer\windows\motcua.nsi
;
; DIST: the PyInstaller one-folder build (installer\windows\motcua.spec): motcua.exe, motcua-desk.exe,
; motcua-service.exe and _internal\ (resources\, kiosk_config\ inside).
;
; Silent install for technicians' scripts (/S; components by switch, everything else as on the pages):
;   Setup.exe /S                         program files, Start-menu shortcuts
;   Setup.exe /S /SERVICE                ... and the centre server as a Windows service (the centre's server PC only)
;   Setup.exe /S /KIOSK                  ... and the kiosk starts at log-in (the ticket kiosk PC)
;   Setup.exe /S /DISPLAY                ... and the display board starts at log-in (the board's PC)
;   Setup.exe /S /D=D:\MotCua Desk       another program folder (/D must come last, NSIS's rule)
; Silent uninstall: "%ProgramFiles%\MotCua Desk\uninstall.exe" /S [/REMOVEDATA]
; Exit code 0 when all went well; 2 when the service could not be registered or started (see the install log).

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!ifndef DIST
  !error "Give the PyInstaller build folder: makensis -DDIST=path\to\dist\MotCua Desk ..."
!endif
!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef OUTFILE
  !define OUTFILE "MotCuaDesk-Setup-${VERSION}.exe"
!endif
!if /FileExists "${DIST}\motcua.exe"
!else
  !error "${DIST}\motcua.exe not found: build with pyinstaller installer\windows\motcua.spec first"
!endif
!if /FileExists "${DIST}\motcua-desk.exe"
!else
  !error "${DIST}\motcua-desk.exe not found"
!endif
!if /FileExists "${DIST}\motcua-service.exe"
!else
  !error "${DIST}\motcua-service.exe not found"
!endif

!define PRODUCT "MotCua Desk"
!define PUBLISHER "MotCua Desk"
!define SERVICE "MotCuaCentre"                    ; motcua.winservice.SERVICE_NAME
!define SERVICE_PORT "8765"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\MotCuaDesk"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define FIREWALL_RULE "MotCua Desk centre server"
; icacls by SID, so that a Vietnamese, English or French Windows names them alike.
!define SID_ADMINS "*S-1-5-32-544"
!define SID_SYSTEM "*S-1-5-18"

; VIProductVersion wants four numbers: 1.2.3 -> 1.2.3.0
!searchparse /noerrors "${VERSION}.0.0.0" "" V1 "." V2 "." V3 "."
!ifndef V1
  !define V1 0
!endif
!ifndef V2
  !define V2 0
!endif
!ifndef V3
  !define V3 0
!endif

Name "${PRODUCT} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
InstallDirRegKey HKLM "${UNINST_KEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${V1}.${V2}.${V3}.0"
VIFileVersion "${V1}.${V2}.${V3}.0"
VIAddVersionKey /LANG=0 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${PRODUCT} Setup"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "${PUBLISHER}"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"
!include "Sections.nsh"

Var DataDir        ; %ProgramData%\MotCua: the centre service's data (citizens' personal data)
Var Failed         ; 1 when something a technician must look at went wrong

!define MUI_ABORTWARNING
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_LANGDLL_REGISTRY_ROOT "HKLM"
!define MUI_LANGDLL_REGISTRY_KEY "${UNINST_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_COMPONENTSPAGE_NODESC

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "Vietnamese"           ; the first language is the default
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

; --- texts ---------------------------------------------------------------------------------------------------------
LangString SecCore ${LANG_VIETNAMESE} "Chương trình MotCua Desk"
LangString SecCore ${LANG_ENGLISH} "MotCua Desk program"
LangString SecShortcuts ${LANG_VIETNAMESE} "Lối tắt trong menu Start"
LangString SecShortcuts ${LANG_ENGLISH} "Start-menu shortcuts"
LangString SecService ${LANG_VIETNAMESE} "Máy chủ trung tâm (dịch vụ Windows, chỉ cài trên máy chủ của trung tâm)"
LangString SecService ${LANG_ENGLISH} "Centre server (Windows service, on the centre's server PC only)"
LangString SecKiosk ${LANG_VIETNAMESE} "Mở kiosk lấy số khi đăng nhập"
LangString SecKiosk ${LANG_ENGLISH} "Open the ticket kiosk at log-in"
LangString SecDisplay ${LANG_VIETNAMESE} "Mở màn hình hiển thị khi đăng nhập"
LangString SecDisplay ${LANG_ENGLISH} "Open the display board at log-in"
LangString SecRemoveData ${LANG_VIETNAMESE} "Xóa cả dữ liệu của trung tâm (%ProgramData%\MotCua: dữ liệu công dân, không khôi phục được)"
LangString SecRemoveData ${LANG_ENGLISH} "Also delete the centre's data (%ProgramData%\MotCua: citizens' data, cannot be undone)"
LangString SecUninstall ${LANG_VIETNAMESE} "Gỡ chương trình, lối tắt, dịch vụ"
LangString SecUninstall ${LANG_ENGLISH} "Remove the program, shortcuts, service"
LangString LnkCounter ${LANG_VIETNAMESE} "Quầy tiếp nhận"
LangString LnkCounter ${LANG_ENGLISH} "Reception counter"
LangString LnkKiosk ${LANG_VIETNAMESE} "Kiosk lấy số"
LangString LnkKiosk ${LANG_ENGLISH} "Ticket kiosk"
LangString LnkDisplay ${LANG_VIETNAMESE} "Màn hình hiển thị"
LangString LnkDisplay ${LANG_ENGLISH} "Display board"
LangString LnkSupervisor ${LANG_VIETNAMESE} "Giám sát"
LangString LnkSupervisor ${LANG_ENGLISH} "Supervisor"
LangString LnkCommand ${LANG_VIETNAMESE} "Dòng lệnh MotCua"
LangString LnkCommand ${LANG_ENGLISH} "MotCua command prompt"
LangString Need64 ${LANG_VIETNAMESE} "MotCua Desk cần Windows 64-bit."
LangString Need64 ${LANG_ENGLISH} "MotCua Desk needs 64-bit Windows."
LangString ServiceFailed ${LANG_VIETNAMESE} "Không cài đặt hoặc không chạy được dịch vụ máy chủ trung tâm (mã $0). Xem nhật ký cài đặt, rồi thử: motcua-service.exe run"
LangString ServiceFailed ${LANG_ENGLISH} "The centre server service could not be installed or started (code $0). See the install log, then try: motcua-service.exe run"
LangString DataKept ${LANG_VIETNAMESE} "Đã giữ lại dữ liệu trong $DataDir"
LangString DataKept ${LANG_ENGLISH} "The data in $DataDir was kept"

; --- install -------------------------------------------------------------------------------------------------------
Section "!$(SecCore)" SEC_CORE
  SectionIn RO
  SetShellVarContext all
  ; An update: the running service holds the program's files open.
  ${If} ${FileExists} "$INSTDIR\motcua-service.exe"
    nsExec::ExecToLog '"$INSTDIR\motcua-service.exe" stop'
    Pop $0
  ${EndIf}

  SetOutPath "$INSTDIR"
  SetOverwrite on
  File /r /x kiosk_config "${DIST}\*.*"
  ; The settings a technician edited (centre.toml, queue.toml) survive an update: shipped files never overwrite them.
  SetOverwrite off
  SetOutPath "$INSTDIR\_internal"
  File /nonfatal /r "${DIST}\_internal\kiosk_config"
  SetOverwrite on
  SetOutPath "$INSTDIR"

  ; The centre's data folder: Administrators and SYSTEM only (the service's own account is added with the service);
  ; nothing inherited from C:\ProgramData, where every user may read.
  CreateDirectory "$DataDir"
  nsExec::ExecToLog 'icacls "$DataDir" /inheritance:r /grant:r ${SID_ADMINS}:(OI)(CI)F ${SID_SYSTEM}:(OI)(CI)F /Q'
  Pop $0
  ; motcua.store.permissions' marker: the folder's ACL is set, so the app does not reset it to one account (which
  ; would lock the service out).
  FileOpen $1 "$DataDir\.acl-owner-system" w
  FileClose $1

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\motcua-desk.exe"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "$(SecShortcuts)" SEC_SHORTCUTS
  SetShellVarContext all
  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\$(LnkCounter).lnk" "$INSTDIR\motcua-desk.exe" "run --mode counter" "$INSTDIR\motcua-desk.exe" 0
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\$(LnkKiosk).lnk" "$INSTDIR\motcua-desk.exe" "run --mode kiosk" "$INSTDIR\motcua-desk.exe" 0
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\$(LnkDisplay).lnk" "$INSTDIR\motcua-desk.exe" "run --mode display" "$INSTDIR\motcua-desk.exe" 0
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\$(LnkSupervisor).lnk" "$INSTDIR\motcua-desk.exe" "run --mode supervisor" "$INSTDIR\motcua-desk.exe" 0
  ; A console in the program folder, for `motcua ...` and `motcua-service ...` (run it as administrator for those).
  CreateShortCut "$SMPROGRAMS\${PRODUCT}\$(LnkCommand).lnk" "$SYSDIR\cmd.exe" '/k cd /d "$INSTDIR"' "$INSTDIR\motcua.exe" 0
SectionEnd

Section /o "$(SecService)" SEC_SERVICE
  ; Registered to start at boot as its own virtual account NT SERVICE\MotCuaCentre, serving the centre's network
  ; with TLS (a self-signed certificate made at the first start; `motcua-service fingerprint` prints its pin).
  nsExec::ExecToLog '"$INSTDIR\motcua-service.exe" install --host 0.0.0.0 --port ${SERVICE_PORT} --tls self-signed --data-dir "$DataDir"'
  Pop $0
  ${If} $0 != 0
    StrCpy $Failed 1
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(ServiceFailed)" /SD IDOK
    Return
  ${EndIf}
  ; The service's account may change the data folder (not its ACL); inherited by everything below.
  nsExec::ExecToLog 'icacls "$DataDir" /grant:r "NT SERVICE\${SERVICE}:(OI)(CI)M" /Q'
  Pop $0
  ; Restarted by Windows after a failure: at once, after a minute, then every five minutes; the count resets daily.
  nsExec::ExecToLog 'sc.exe failure ${SERVICE} reset= 86400 actions= restart/5000/restart/60000/restart/300000'
  Pop $0
  ; The counters, kiosks and boards of the centre reach it on its port, through Windows' firewall.
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="${FIREWALL_RULE}"'
  Pop $0
  nsExec::ExecToLog 'netsh advfirewall firewall add rule name="${FIREWALL_RULE}" dir=in action=allow protocol=TCP localport=${SERVICE_PORT} program="$INSTDIR\motcua-service.exe" profile=domain,private'
  Pop $0
  nsExec::ExecToLog '"$INSTDIR\motcua-service.exe" start'
  Pop $0
  ${If} $0 != 0
    StrCpy $Failed 1
    MessageBox MB_OK|MB_ICONEXCLAMATION "$(ServiceFailed)" /SD IDOK
  ${EndIf}
SectionEnd

Section /o "$(SecKiosk)" SEC_KIOSK
  WriteRegStr HKLM "${RUN_KEY}" "MotCuaKiosk" '"$INSTDIR\motcua-desk.exe" run --mode kiosk'
SectionEnd

Section /o "$(SecDisplay)" SEC_DISPLAY
  WriteRegStr HKLM "${RUN_KEY}" "MotCuaDisplay" '"$INSTDIR\motcua-desk.exe" run --mode display'
SectionEnd

Section "-finish"
  ${If} $Failed == 1
    SetErrorLevel 2
  ${EndIf}
SectionEnd

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "$(Need64)" /SD IDOK
    SetErrorLevel 1
    Abort
  ${EndIf}
  SetRegView 64
  StrCpy $Failed 0
  ReadEnvStr $DataDir "ProgramData"
  ${If} $DataDir == ""
    StrCpy $DataDir "C:\ProgramData"
  ${EndIf}
  StrCpy $DataDir "$DataDir\MotCua"
  !insertmacro MUI_LANGDLL_DISPLAY                 ; not shown with /S
  ; Components chosen by switch (silent installs; in the wizard they tick the boxes in advance).
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/SERVICE" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SEC_SERVICE}
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/KIOSK" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SEC_KIOSK}
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/DISPLAY" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SEC_DISPLAY}
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/NOSHORTCUTS" $R1
  ${IfNot} ${Errors}
    !insertmacro UnselectSection ${SEC_SHORTCUTS}
  ${EndIf}
FunctionEnd

; --- uninstall -----------------------------------------------------------------------------------------------------
Section "-un.$(SecUninstall)" UNSEC_CORE
  SetShellVarContext all
  ; The service first: it holds the program's files open.
  ${If} ${FileExists} "$INSTDIR\motcua-service.exe"
    nsExec::ExecToLog '"$INSTDIR\motcua-service.exe" remove'
    Pop $0
  ${EndIf}
  nsExec::ExecToLog 'sc.exe delete ${SERVICE}'       ; in case the program's files were already gone
  Pop $0
  nsExec::ExecToLog 'netsh advfirewall firewall delete rule name="${FIREWALL_RULE}"'
  Pop $0
  DeleteRegValue HKLM "${RUN_KEY}" "MotCuaKiosk"
  DeleteRegValue HKLM "${RUN_KEY}" "MotCuaDisplay"
  RMDir /r "$SMPROGRAMS\${PRODUCT}"
  ; The centre's settings (tokens and links included) are kept with its data, in the protected folder.
  ${If} ${FileExists} "$INSTDIR\_internal\kiosk_config\*.toml"
  ${AndIf} ${FileExists} "$DataDir\*.*"
    CreateDirectory "$DataDir\kiosk_config-saved"
    CopyFiles /SILENT "$INSTDIR\_internal\kiosk_config\*.*" "$DataDir\kiosk_config-saved"
  ${EndIf}
  RMDir /r "$INSTDIR"
  DeleteRegKey HKLM "${UNINST_KEY}"
SectionEnd

; Citizens' data stays unless the technician asks (the box, or /REMOVEDATA in a silent uninstall).
Section /o "un.$(SecRemoveData)" UNSEC_DATA
  RMDir /r "$DataDir"
SectionEnd

Section "-un.finish"
  ${If} ${FileExists} "$DataDir\*.*"
    DetailPrint "$(DataKept)"
  ${EndIf}
SectionEnd

Function un.onInit
  SetRegView 64
  ReadEnvStr $DataDir "ProgramData"
  ${If} $DataDir == ""
    StrCpy $DataDir "C:\ProgramData"
  ${EndIf}
  StrCpy $DataDir "$DataDir\MotCua"
  !insertmacro MUI_UNGETLANGUAGE
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/REMOVEDATA" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${UNSEC_DATA}
  ${EndIf}
FunctionEnd
