package volatility_test

import (
	"testing"

	"github.com/leakdiag/leakdiag/dumpreader/volatility"
)

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"Volatility 3 handles, tab-separated, no banner",
			"PID\tProcess\tOffset\tHandleValue\tType\tGrantedAccess\tName\n4\tSystem\t0xc58d2d262200\t0x4\tProcess\t0x1fffff\tSystem Pid 4\n", true},
		{"Rekall pslist among its log lines",
			"_EPROCESS          name          pid   ppid  thread_count handle_count session_id wow64    process_create_time       process_exit_time\n" +
				"---------- -------------------- ----- ------ ------------ ------------ ---------- ------ ------------------------ ------------------------\n" +
				"2018-10-13 11:13:00,286:DEBUG:rekall.1:Listed 36 processes using PsActiveProcessHead\n" +
				"0x83d33860 System                   4      0           70          510          - False  2018-10-13 16:15:51Z     -\n", true},
		{"a heading alone, quoted in prose",
			"Volatility prints Offset(V) Name PID PPID Thds Hnds Sess Wow64 Start Exit\nOffset(V) Name PID PPID Thds Hnds Sess Wow64 Start Exit\n", false},
		{"the banner and a command alone", "Volatility Foundation Volatility Framework 2.6\nvol.py -f x.raw pslist\n", false},
		{"a heading under the banner: a plugin that found nothing",
			"Volatility 3 Framework 2.4.0\nPID\tPPID\tImageFileName\tOffset(V)\tThreads\tHandles\tSessionId\tWow64\tCreateTime\tExitTime\tFile output\n", true},
		{"prose naming the framework over a heading",
			"Volatility prints this:\nPID PPID ImageFileName Offset(V) Threads Handles SessionId Wow64 CreateTime ExitTime\n", false},
		{"Get-Process", "Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n" +
			"-------  ------    -----      -----     ------     --  -- -----------\n  51234      88    12416      30764     112.50   2412   0 spoolsv\n", false},
		{"Handle's CSV", "Process,PID,Type,Handle,Name\nchrome.exe,17000,File,0x7D8,C:\\x\n", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := volatility.Sniff([]byte(tc.in)); got != tc.want {
				t.Errorf("Sniff = %v, want %v", got, tc.want)
			}
		})
	}
}
