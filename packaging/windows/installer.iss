; Inno Setup script: a per-user Tactful installer that needs no administrator rights.
;
; Build on Windows after packaging\build.py has made packaging\dist\tactful\ :
;   iscc /DAppVersion=0.1.0 packaging\windows\installer.iss
; -> packaging\dist\tactful-0.1.0-windows-x86_64-setup.exe
;
; Installs to %LOCALAPPDATA%\Programs\Tactful, adds Start-menu entries, writes only to the
; current user's profile (HKCU uninstall entry). The knowledge base is NOT in the install
; folder: it lives in %APPDATA%\Tactful (or TACTFUL_HOME, or a portable tactful-data
; folder beside tactful.exe) and the uninstaller leaves it alone.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6B1C9E57-3D0B-4C4A-9C55-2F7B0E9A7A11}
AppName=Tactful
AppVersion={#AppVersion}
AppPublisher=The Tactful team
DefaultDirName={autopf}\Tactful
DefaultGroupName=Tactful
DisableProgramGroupPage=yes
; Per-user: no UAC prompt; {autopf} becomes %LOCALAPPDATA%\Programs.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=tactful-{#AppVersion}-windows-x86_64-setup
SetupIconFile=..\build\icons\tactful.ico
UninstallDisplayIcon={app}\tactful.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
LicenseFile=..\..\LICENSE
CloseApplications=yes

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller folder; a portable tactful-data folder from testing is never packed.
Source: "..\dist\tactful\*"; DestDir: "{app}"; Excludes: "tactful-data\*"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "README-WINDOWS.txt"; DestDir: "{app}"; Flags: ignoreversion isreadme

[Icons]
Name: "{autoprograms}\Tactful"; Filename: "{app}\tactful.exe"
Name: "{autodesktop}\Tactful"; Filename: "{app}\tactful.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\tactful.exe"; Description: "{cm:LaunchProgram,Tactful}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the installer put there; the data folder (%APPDATA%\Tactful) is kept.
Type: dirifempty; Name: "{app}"
