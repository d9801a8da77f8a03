; perfdesk — Windows installer (NSIS 3, Unicode).  Packs the PyInstaller one-folder build.
;
;   makensis /DPAYLOAD_DIR=..\..\dist\perfdesk /DVERSION=0.1.0 installer\windows\perfdesk.nsi   (Windows)
;   makensis -DPAYLOAD_DIR=/path/to/payload -DVERSION=0.1.0 installer/windows/perfdesk.nsi    (Linux)
;
; PAYLOAD_DIR must contain perfdesk.exe (the window program), perfdesk-cli.exe (the command line)
; and _internal\ — exactly what `pyinstaller installer\perfdesk.spec` writes to dist\perfdesk.
; Result: ${OUTFILE} (default: dist\perfdesk-<version>-setup.exe next to the payload's parent).
; Nothing is downloaded during installation: everything is inside the setup file.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel admin

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef PAYLOAD_DIR
  !define PAYLOAD_DIR "..\..\dist\perfdesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\perfdesk-${VERSION}-setup.exe"
!endif

!define APPNAME "预算绩效自评"
!define APPKEY "perfdesk"
!define PUBLISHER "perfdesk"
!define PROGID "perfdesk.Document"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"

!include "MUI2.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\perfdesk"
InstallDirRegKey HKLM "Software\${APPKEY}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"

; version resource of the setup file (VIProductVersion needs four numbers)
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT"

!define MUI_ICON "..\icons\perfdesk.ico"
!define MUI_UNICON "..\icons\perfdesk.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\perfdesk.exe"
!define MUI_FINISHPAGE_RUN_TEXT "立即运行 ${APPNAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"
!ifndef LANG_SIMPCHINESE
  !error "the Simplified Chinese language file was not loaded"
!endif
!echo "installer language: SimpChinese (${LANG_SIMPCHINESE})"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP|MB_OK "本程序需要 64 位 Windows（Windows 10 或更新版本）。"
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "!${APPNAME}" SecMain
  SectionIn RO
  ; a previous version's files go first, so no stale library is left behind
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${PAYLOAD_DIR}\*.*"
  File "/oname=perfdesk.ico" "..\icons\perfdesk.ico"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\perfdesk.exe" "" "$INSTDIR\perfdesk.ico" 0
  CreateShortcut "$SMPROGRAMS\${APPNAME}\卸载 ${APPNAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\perfdesk.exe" "" "$INSTDIR\perfdesk.ico" 0

  ; .pdesk documents open in perfdesk (double-click)
  WriteRegStr HKLM "Software\Classes\.pdesk" "" "${PROGID}"
  WriteRegStr HKLM "Software\Classes\.pdesk" "Content Type" "application/x-perfdesk"
  WriteRegStr HKLM "Software\Classes\${PROGID}" "" "预算绩效自评文档"
  WriteRegStr HKLM "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\perfdesk.ico,0"
  WriteRegStr HKLM "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\perfdesk.exe" "%1"'
  WriteRegStr HKLM "Software\Classes\Applications\perfdesk.exe\shell\open\command" "" '"$INSTDIR\perfdesk.exe" "%1"'

  ; Programs and Features entry
  WriteRegStr HKLM "Software\${APPKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\perfdesk.ico"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" "$0"

  WriteUninstaller "$INSTDIR\uninstall.exe"
  ; tell Explorer about the new file association
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "Uninstall"
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APPNAME}"

  ReadRegStr $0 HKLM "Software\Classes\.pdesk" ""
  ${If} $0 == "${PROGID}"
    DeleteRegKey HKLM "Software\Classes\.pdesk"
  ${EndIf}
  DeleteRegKey HKLM "Software\Classes\${PROGID}"
  DeleteRegKey HKLM "Software\Classes\Applications\perfdesk.exe"
  DeleteRegKey HKLM "${UNINSTKEY}"
  DeleteRegKey HKLM "Software\${APPKEY}"

  ; the program folder only: documents, settings (HKCU\Software\perfdesk) and recovery files
  ; (%LOCALAPPDATA%\perfdesk) belong to the users and stay
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\perfdesk.exe"
  Delete "$INSTDIR\perfdesk-cli.exe"
  Delete "$INSTDIR\perfdesk.ico"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd
