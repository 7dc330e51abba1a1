package kdgen

// The vocabulary of the captures. Names are those of a Windows 10 machine;
// vendor products are fictitious.

var dlls = []string{
	"kernel32.dll", "KernelBase.dll", "ntdll.dll", "user32.dll", "gdi32.dll", "gdi32full.dll",
	"win32u.dll", "advapi32.dll", "sechost.dll", "rpcrt4.dll", "combase.dll", "ole32.dll",
	"oleaut32.dll", "msvcrt.dll", "ucrtbase.dll", "msvcp_win.dll", "shell32.dll", "shlwapi.dll",
	"SHCore.dll", "windows.storage.dll", "profapi.dll", "powrprof.dll", "umpdc.dll",
	"kernel.appcore.dll", "cryptbase.dll", "bcrypt.dll", "bcryptprimitives.dll", "crypt32.dll",
	"msasn1.dll", "wintrust.dll", "imagehlp.dll", "ws2_32.dll", "mswsock.dll", "dnsapi.dll",
	"IPHLPAPI.DLL", "nsi.dll", "winhttp.dll", "wininet.dll", "urlmon.dll", "iertutil.dll",
	"netutils.dll", "srvcli.dll", "wkscli.dll", "samcli.dll", "sspicli.dll", "secur32.dll",
	"userenv.dll", "wtsapi32.dll", "winsta.dll", "uxtheme.dll", "dwmapi.dll", "imm32.dll",
	"msctf.dll", "clbcatq.dll", "propsys.dll", "cfgmgr32.dll", "setupapi.dll", "devobj.dll",
	"wldp.dll", "version.dll", "winmm.dll", "dbghelp.dll", "dbgcore.dll", "comctl32.dll",
	"comdlg32.dll", "wevtapi.dll", "wer.dll", "rsaenh.dll", "ncrypt.dll", "ntasn1.dll",
	"dpapi.dll", "gpapi.dll", "msv1_0.dll", "kerberos.dll", "schannel.dll", "ntmarta.dll",
	"authz.dll", "dhcpcsvc.dll", "dhcpcsvc6.dll", "winnsi.dll", "fwpuclnt.dll", "rasadhlp.dll",
	"webio.dll", "TextInputFramework.dll", "CoreMessaging.dll", "CoreUIComponents.dll",
	"WinTypes.dll", "twinapi.appcore.dll", "rmclient.dll", "execmodelproxy.dll",
	"policymanager.dll", "msvcp110_win.dll", "sppc.dll", "slc.dll", "wbemcomn.dll",
	"wbemprox.dll", "wbemsvc.dll", "fastprox.dll", "amsi.dll", "edputil.dll", "mpr.dll",
	"netapi32.dll", "logoncli.dll", "cryptsp.dll", "cryptnet.dll", "sxs.dll", "ntdsapi.dll",
}

var fonts = []string{
	"segoeui.ttf", "segoeuib.ttf", "segoeuil.ttf", "segoeuisl.ttf", "seguisym.ttf", "seguiemj.ttf",
	"arial.ttf", "arialbd.ttf", "calibri.ttf", "calibrib.ttf", "cambria.ttc", "consola.ttf",
	"cour.ttf", "times.ttf", "tahoma.ttf", "verdana.ttf", "marlett.ttf", "SegoeIcons.ttf",
	"msyh.ttc", "meiryo.ttc", "malgun.ttf", "simsun.ttc",
}

var pipes = []string{
	"lsass", "ntsvcs", "srvsvc", "wkssvc", "eventlog", "InitShutdown", "scerpc", "atsvc",
	"epmapper", "LSM_API_service", "spoolss", "trkwks", "W32TIME_ALT", "winreg", "samr",
	"netlogon", "PIPE_EVENTROOT\\CIMV2SCM EVENT PROVIDER", "Winsock2\\CatalogChangeListener-2a8-0",
	"Winsock2\\CatalogChangeListener-3c4-0", "Winsock2\\CatalogChangeListener-1f0-0",
	"GoogleCrashServices\\S-1-5-18", "MsFteWds", "SearchTextHarvester", "ROUTER", "tapsrv",
	"PSHost.133401234567890123.4412.DefaultAppDomain.powershell", "vgauth-service",
	"ContosoAgentControl", "FabrikamBackupRpc", "IrpTrackerPipe",
}

var vendors = []struct{ dir, log string }{
	{`Contoso\Agent`, "ContosoAgent"},
	{`Fabrikam\Backup`, "FabrikamBackup"},
	{`IrpTracker\Client`, "IrpTrackerClient"},
}

var machineKeys = []string{
	`SOFTWARE`,
	`SYSTEM\ControlSet001\Control\Nls\Sorting\Versions`,
	`SYSTEM\ControlSet001\Control\Nls\CustomLocale`,
	`SYSTEM\ControlSet001\Control\Nls\ExtendedLocale`,
	`SYSTEM\ControlSet001\Control\Session Manager`,
	`SYSTEM\ControlSet001\Control\Session Manager\Environment`,
	`SYSTEM\ControlSet001\Control\Lsa`,
	`SYSTEM\ControlSet001\Control\NetworkProvider\HwOrder`,
	`SYSTEM\ControlSet001\Control\NetworkProvider\ProviderOrder`,
	`SYSTEM\ControlSet001\Control\Class\{4d36e972-e325-11ce-bfc1-08002be10318}`,
	`SYSTEM\ControlSet001\Control\DeviceClasses`,
	`SYSTEM\ControlSet001\Control\WMI\Autologger`,
	`SYSTEM\ControlSet001\Enum`,
	`SYSTEM\ControlSet001\Services\WinSock2\Parameters\Protocol_Catalog9`,
	`SYSTEM\ControlSet001\Services\WinSock2\Parameters\NameSpace_Catalog5`,
	`SYSTEM\ControlSet001\Services\Tcpip\Parameters\Interfaces`,
	`SYSTEM\Setup`,
	`SOFTWARE\Microsoft\Windows NT\CurrentVersion`,
	`SOFTWARE\Microsoft\Windows NT\CurrentVersion\Image File Execution Options`,
	`SOFTWARE\Microsoft\Windows NT\CurrentVersion\Perflib\009`,
	`SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon`,
	`SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts`,
	`SOFTWARE\Microsoft\Windows NT\CurrentVersion\FontSubstitutes`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion\Explorer\FolderDescriptions`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\ZoneMap`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion\SideBySide`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System`,
	`SOFTWARE\Microsoft\Windows\CurrentVersion\WINEVT\Publishers`,
	`SOFTWARE\Microsoft\Ole`,
	`SOFTWARE\Microsoft\Rpc`,
	`SOFTWARE\Microsoft\Cryptography\Defaults\Provider`,
	`SOFTWARE\Microsoft\Windows Defender\Real-Time Protection`,
	`SOFTWARE\Microsoft\WBEM\CIMOM`,
	`SOFTWARE\Microsoft\SQMClient\Windows`,
	`SOFTWARE\Microsoft\Tracing`,
	`SOFTWARE\Policies\Microsoft\Windows\System`,
	`SOFTWARE\Classes`,
	`SOFTWARE\Classes\AppID`,
	`SOFTWARE\Classes\Interface`,
	`SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion`,
	`SOFTWARE\Contoso\Agent`,
	`SOFTWARE\Fabrikam\Backup\Jobs`,
	`SOFTWARE\IrpTracker\Client\Settings`,
}

var services = []string{
	"AudioSrv", "BFE", "BITS", "BrokerInfrastructure", "CDPSvc", "CoreMessagingRegistrar",
	"CryptSvc", "DcomLaunch", "Dhcp", "DiagTrack", "DispBrokerDesktopSvc", "Dnscache", "DPS",
	"DusmSvc", "EventLog", "EventSystem", "FontCache", "gpsvc", "iphlpsvc", "KeyIso",
	"LanmanServer", "LanmanWorkstation", "lmhosts", "LSM", "mpssvc", "NcbService", "netprofm",
	"NlaSvc", "nsi", "PlugPlay", "Power", "ProfSvc", "RpcEptMapper", "RpcSs", "SamSs",
	"Schedule", "SENS", "ShellHWDetection", "Spooler", "SysMain", "SystemEventsBroker",
	"Themes", "TimeBrokerSvc", "TrkWks", "UserManager", "UsoSvc", "W32Time", "WinDefend",
	"WinHttpAutoProxySvc", "Winmgmt", "WpnService", "wscsvc", "WSearch", "wuauserv",
	"TermService", "UmRdpService", "SessionEnv", "StateRepository", "StorSvc", "TabletInputService",
	"Tcpip", "Afd", "NetBT", "volmgr", "disk", "partmgr", "Ntfs", "FltMgr", "WdFilter",
	"ContosoAgent", "FabrikamBackup", "IrpTracker",
}

var eventNames = []string{
	"TermSrvReadyEvent", "ShellDesktopSwitchEvent", "ThemesStartEvent", "SC_AutoStartComplete",
	"SvcctrlStartEvent_A3752DX", "LSA_AUTHENTICATION_INITIALIZED", "CLR_PerfMon_StartEnumEvent",
	"CLR_PerfMon_DoneEnumEvent", "WinSATScanEvent", "BcastSystemShutdownEvent",
	"MSCTF.CtfActivated.Default1", "ShellReadyEvent", "WFP_IPSEC_EVENT", "SystemUpdateRequired",
	"Dwm-Startup-Event", "UniqueSessionIdEvent", "HomeGroupEvent", "EventLogReadyEvent",
	"WPCDLLScanEvent", "NlaSvc_WaitEvent", "ContosoAgentReady", "FabrikamBackupJobDone",
}

var eventPrefixes = []string{"", "Global_", "MSCTF.Event.", "ShellNotify_", "WnfEvent_", "SessionImmersiveColorSet_"}

var mutantNames = []string{
	"SmartScreen_AppRepSettings_Mutex", "ZonesCacheCounterMutex", "ZonesLockedCacheCounterMutex",
	"_SHuassist.mtx", "SessionImmersiveColorMutex", "MSCTF.Asm.MutexDefault1", "CTF.LBES.MutexDefault1",
	"CTF.Compart.MutexDefault1", "CTF.Layouts.MutexDefault1", "CTF.TimListCache.FMPDefault1MUTEX.Default1",
	"WininetStartupMutex", "WininetConnectionMutex", "WininetProxyRegistryMutex", "RasPbFile",
	"ContosoAgentSingleInstance", "FabrikamBackupLock",
}

var sectionNames = []string{
	"__ComCatalogCache__", "windows_shell_global_counters", "Cor_SxSPublic_IPCBlock",
	"windows_ie_global_counters", "UrlZonesSM_SYSTEM", "CTF.AsmListCache.FMPDefault1",
	"CTF.TimListCache.FMPDefault1", "MSCTF.Shared.SFM.Default", "ContosoAgentSharedState",
	"DwmGlobalData", "NlsSectionCP1252", "NlsSectionCP437",
}

var alpcNames = []string{
	"epmapper", "actkernel", "lsasspirpc", "ntsvcs", "dhcpcsvc", "dhcpcsvc6", "WindowsShutdown",
	"LRPC-lsasspirpc", "OLE-System", "DNSResolver", "NETLOGON_LRPC", "audiosrv", "wmsgapi",
	"LSMApi", "SessEnvPublicRpc", "PlugPlay", "ubpmrpc", "senssvc", "tapsrvlpc", "csebpub",
	"IUserProfile2", "ContosoAgentRpc",
}

// imageWeight scales the typical handle count of some images.
var imageWeight = map[string]float64{
	"System": 8, "lsass.exe": 5, "csrss.exe": 2, "services.exe": 2.5, "explorer.exe": 6,
	"MsMpEng.exe": 3, "svchost.exe": 1.5, "Registry": 0.05, "Memory Compression": 0.05,
	"smss.exe": 0.2, "chrome.exe": 1.2, "OUTLOOK.EXE": 4, "dwm.exe": 2.5, "SearchIndexer.exe": 3,
}

var serviceImages = []weighted{
	{"svchost.exe", 70}, {"WmiPrvSE.exe", 4}, {"dllhost.exe", 3}, {"SearchIndexer.exe", 1},
	{"SecurityHealthService.exe", 1}, {"WUDFHost.exe", 2}, {"dasHost.exe", 1}, {"audiodg.exe", 1},
	{"unsecapp.exe", 1}, {"TrustedInstaller.exe", 0.5}, {"TiWorker.exe", 0.5}, {"vmtoolsd.exe", 1},
	{"sqlservr.exe", 1}, {"w3wp.exe", 2}, {"ContosoAgent.exe", 1}, {"FabrikamBackupSvc.exe", 1},
	{"IrpTrackerSvc.exe", 1}, {"conhost.exe", 2}, {"NisSrv.exe", 1}, {"SgrmBroker.exe", 0.5},
}

var userImages = []weighted{
	{"RuntimeBroker.exe", 12}, {"chrome.exe", 14}, {"msedge.exe", 8}, {"conhost.exe", 6},
	{"taskhostw.exe", 3}, {"sihost.exe", 2}, {"ctfmon.exe", 2}, {"SearchApp.exe", 2},
	{"StartMenuExperienceHost.exe", 2}, {"ShellExperienceHost.exe", 2}, {"TextInputHost.exe", 2},
	{"OneDrive.exe", 2}, {"Teams.exe", 3}, {"OUTLOOK.EXE", 1}, {"WINWORD.EXE", 1}, {"EXCEL.EXE", 1},
	{"notepad.exe", 1}, {"cmd.exe", 2}, {"powershell.exe", 2}, {"rdpclip.exe", 2},
	{"smartscreen.exe", 1}, {"SecurityHealthSystray.exe", 1}, {"ApplicationFrameHost.exe", 1},
	{"dllhost.exe", 2}, {"backgroundTaskHost.exe", 1}, {"IrpTrackerClient.exe", 1},
	{"ContosoAgentTray.exe", 1},
}

// leakImages name the leakers a Config leaves unnamed: vendor agents, the
// usual suspects.
var leakImages = []string{"IrpTrackerClient.exe", "ContosoAgent.exe", "FabrikamBackupSvc.exe", "ContosoSyncHost.exe"}
