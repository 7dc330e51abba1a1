package scan

// IsObjectType reports whether name is a Windows object type ("Event",
// "ALPC Port", "TpWorkerFactory"): one of those of Windows NT 4 to 11, as
// debuggers and Handle print them. Types not listed are read too where a
// reader knows it is in a list of types; the list tells two-word types
// from a type and a name, and typical lines from look-alikes when
// detecting a format. A switch rather than a map: nothing to build at
// start, and about twice as fast to ask on the lines that ask it.
func IsObjectType(name []byte) bool {
	switch string(name) {
	case
		"ActivationObject", "ActivityReference", "Adapter", "ALPC Port", "Callback",
		"Composition", "Controller", "CoreMessaging", "CpuPartition", "CrossVmEvent",
		"CrossVmMutant", "DebugObject", "Desktop", "Device", "Directory", "DmaAdapter",
		"DmaDomain", "Driver", "DxgkCompositionObject", "DxgkCurrentDxgProcessObject",
		"DxgkDisplayManagerObject", "DxgkSharedBundleObject", "DxgkSharedKeyedMutexObject",
		"DxgkSharedProtectedSessionObject", "DxgkSharedResource", "DxgkSharedSwapChainObject",
		"DxgkSharedSyncObject", "EnergyTracker", "EtwConsumer", "EtwRegistration",
		"EtwSessionDemuxEntry", "Event", "EventPair", "File", "FilterCommunicationPort",
		"FilterConnectionPort", "IoCompletion", "IoCompletionReserve", "IoRing", "IRTimer",
		"Job", "Key", "KeyedEvent", "Mutant", "NdisCmState", "Partition", "PcwObject",
		"Port", "PowerRequest", "Process", "ProcessStateChange", "Profile",
		"PsSiloContextNonPaged", "PsSiloContextPaged", "RawInputManager",
		"RegistryTransaction", "SchedulerSharedData", "Section", "Semaphore", "Session",
		"SymbolicLink", "Thread", "ThreadStateChange", "Timer", "TmEn", "TmRm", "TmTm",
		"TmTx", "Token", "TpWorkerFactory", "Type", "UserApcReserve", "VirtualKey",
		"VRegConfigurationContext", "WaitablePort", "WaitCompletionPacket",
		"WindowStation", "WmiGuid":
		return true
	}
	return false
}
