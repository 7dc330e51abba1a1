package eventlog_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakdiag/leakdiag/dumpreader"
	"github.com/leakdiag/leakdiag/dumpreader/eventlog"
	"github.com/leakdiag/leakdiag/facts"
)

// readCase is a paste and what it reads to: the events of pool running
// out (nil: none) and the lines not recognized.
type readCase struct {
	name         string
	in           string
	want         *facts.PoolExhaustion
	unrecognized int64
}

var readCases = []readCase{
	{
		name: "Get-WinEvent table under its provider heading, newest first",
		in: "   ProviderName: Srv\n\nTimeCreated                      Id LevelDisplayName Message\n" +
			"-----------                      -- ---------------- -------\n" +
			"7/12/2026 3:00:00 PM           2020 Error            The server was unable to allocate from the system paged pool because th...\n" +
			"7/12/2026 9:30:00 AM           2019 Error            The server was unable to allocate from the system nonpaged pool because...\n",
		want: &facts.PoolExhaustion{NonPaged: 1, Paged: 1, First: "7/12/2026 9:30:00 AM", Last: "7/12/2026 3:00:00 PM",
			FirstAt: "2026-07-12T09:30:00", LastAt: "2026-07-12T15:00:00", Source: facts.Position{Path: "t.txt", Line: 5}},
	},
	{
		name: "Get-WinEvent table: an event 2019 of another provider is another event",
		in: "   ProviderName: Contoso-Backup\n\nTimeCreated                      Id LevelDisplayName Message\n" +
			"-----------                      -- ---------------- -------\n" +
			"7/12/2026 3:00:00 PM           2019 Error            Backup job 7 failed.\n",
	},
	{
		name: "Get-EventLog table: InstanceID's low 16 bits, a source of several words",
		in: "   Index Time          EntryType   Source                 InstanceID Message\n" +
			"   ----- ----          ---------   ------                 ---------- -------\n" +
			"   48213 Dec 07 14:20  Information Service Control M...   1073748860 The Windows Update service entered the running state.\n" +
			"   48212 Dec 07 14:13  Error       Srv                    3221227492 The server was unable to allocate from the system paged pool because ...\n",
		want: &facts.PoolExhaustion{Paged: 1, First: "Dec 07 14:13", Last: "Dec 07 14:13",
			FirstAt: "0000-12-07T14:13:00", LastAt: "0000-12-07T14:13:00", Source: facts.Position{Path: "t.txt", Line: 4}},
	},
	{
		name: "Format-List of Get-EventLog, a day first where the month cannot be one",
		in: "Index              : 48212\nEntryType          : Error\nInstanceId         : 3221227491\n" +
			"Message            : The server was unable to allocate from the system nonpaged pool because the pool was empty.\n" +
			"Category           : (0)\nSource             : Srv\nTimeGenerated      : 13/07/2026 14:13:05\nTimeWritten        : 13/07/2026 14:13:05\nUserName           :\n\n" +
			"Index              : 48211\nEntryType          : Information\nInstanceId         : 7036\nMessage            : The Print Spooler service entered the running state.\n" +
			"Source             : Service Control Manager\nTimeGenerated      : 13/07/2026 14:10:00\n",
		want: &facts.PoolExhaustion{NonPaged: 1, First: "13/07/2026 14:13:05", Last: "13/07/2026 14:13:05",
			FirstAt: "2026-07-13T14:13:05", LastAt: "2026-07-13T14:13:05", Source: facts.Position{Path: "t.txt", Line: 1}},
	},
	{
		name: "Format-List of Get-WinEvent, records without blank lines between them",
		in: "TimeCreated  : 12/7/2026 2:13:05 PM\nProviderName : Srv\nId           : 2019\n" +
			"TimeCreated  : 12/6/2026 2:13:05 PM\nProviderName : Srv\nId           : 2019\n",
		want: &facts.PoolExhaustion{NonPaged: 2, First: "12/6/2026 2:13:05 PM", Last: "12/7/2026 2:13:05 PM",
			FirstAt: "2026-12-06T14:13:05", LastAt: "2026-12-07T14:13:05", Source: facts.Position{Path: "t.txt", Line: 1}},
	},
	{
		name: "wevtutil's text, a time it cannot read counted without a time",
		in: "Event[0]:\n  Log Name: System\n  Source: Srv\n  Date: yesterday\n  Event ID: 2020\n  Level: Error\n  Description: \n" +
			"The server was unable to allocate from the system paged pool because the pool was empty.\n",
		want: &facts.PoolExhaustion{Paged: 1, Source: facts.Position{Path: "t.txt", Line: 1}},
	},
	{
		name: "Event Viewer's General tab: the message over the fields is one event",
		in: "The server was unable to allocate from the system nonpaged pool because the pool was empty.\n\n" +
			"Log Name:      System\nSource:        Srv\nLogged:        12/7/2026 2:13:05 PM\nEvent ID:      2019\n" +
			"Task Category: None\nLevel:         Error\nKeywords:      Classic\nUser:          N/A\nComputer:      FS01\n" +
			"OpCode:        Info\nMore Information:  Event Log Online Help\n",
		want: &facts.PoolExhaustion{NonPaged: 1, First: "12/7/2026 2:13:05 PM", Last: "12/7/2026 2:13:05 PM",
			FirstAt: "2026-12-07T14:13:05", LastAt: "2026-12-07T14:13:05", Source: facts.Position{Path: "t.txt", Line: 1}},
	},
	{
		name: "messages on their own, one after another: an event each, without times",
		in: "The server was unable to allocate from the system paged pool because the pool was empty.\n" +
			"The server was unable to allocate from the system paged pool because the pool was empty.\n",
		want: &facts.PoolExhaustion{Paged: 2, Source: facts.Position{Path: "t.txt", Line: 1}},
	},
	{
		name: "a message on its own, then Get-WinEvent's table: the table is read",
		in: "The server was unable to allocate from the system paged pool because the pool was empty.\n" +
			"TimeCreated                      Id LevelDisplayName Message\n" +
			"12/7/2026 2:13:05 PM           2019 Error            The server was unable to allocate from the system nonpaged pool because...\n",
		want: &facts.PoolExhaustion{NonPaged: 1, Paged: 1, First: "12/7/2026 2:13:05 PM", Last: "12/7/2026 2:13:05 PM",
			FirstAt: "2026-12-07T14:13:05", LastAt: "2026-12-07T14:13:05", Source: facts.Position{Path: "t.txt", Line: 1}},
	},
	{
		name: "a line of prose before the log is not recognized, the other events' text is ignored",
		in: "here is what the server logged\nLog Name:      System\nSource:        Tcpip\nDate:          12/7/2026 9:14:22 AM\n" +
			"Event ID:      4227\nLevel:         Warning\nDescription:\nTCP/IP failed to establish an outgoing connection.\n\nIt may retry.\n",
		unrecognized: 1,
	},
}

// quotedCases are events as Event Viewer before Vista printed them and as
// articles and posts quote them, often without a time: each is a log.
var quotedCases = []readCase{
	{
		name: "Event Viewer before Vista: Event Type, Event Source, Date and Time apart",
		in: "Event Type:\tError\nEvent Source:\tSrv\nEvent Category:\tNone\nEvent ID:\t2019\nDate:\t\t3/4/2005\n" +
			"Time:\t\t2:13:05 PM\nUser:\t\tN/A\nComputer:\tFS01\nDescription:\n" +
			"The server was unable to allocate from the system nonpaged pool because the pool was empty.\n",
		want: &facts.PoolExhaustion{NonPaged: 1, First: "3/4/2005 2:13:05 PM", Last: "3/4/2005 2:13:05 PM",
			FirstAt: "2005-03-04T14:13:05", LastAt: "2005-03-04T14:13:05", Source: facts.Position{Path: "t.txt", Line: 1}},
	},
	{
		name: "quoted without a time: the ID and the message, indented and wrapped",
		in: "  Event ID: 2020\n  Source: Srv\n  Description: The server was unable to allocate from the system paged pool\n" +
			"  because the pool was empty.\n",
		want: &facts.PoolExhaustion{Paged: 1, Source: facts.Position{Path: "t.txt", Line: 1}},
	},
	{
		name: "the message retyped: its case and nonpaged's spellings, no source given",
		in: "Event ID: 2019\nDescription: The Server was unable to allocate from the system Non-Paged pool because the pool was empty.\n\n" +
			"Event ID: 2019\nDescription: The server was unable to allocate from the system NonPaged pool because the pool was empty.\n",
		want: &facts.PoolExhaustion{NonPaged: 2, Source: facts.Position{Path: "t.txt", Line: 1}},
	},
	{
		name: "an \"Event ID N\" heading over each event joins it; over the description alone it is the ID",
		in: "Event ID 2020\nEvent Type: Error\nEvent Source: Srv\nEvent ID: 2020\n" +
			"The server was unable to allocate from the system paged pool because the pool was empty.\n\n" +
			"Event ID 2019\n\nDescription:\nThe server was unable to allocate from the system nonpaged pool because the\npool was empty.\n",
		want: &facts.PoolExhaustion{NonPaged: 1, Paged: 1, Source: facts.Position{Path: "t.txt", Line: 1}},
	},
	{
		name: "the ID and the message on one line, with no time and no source: Srv's, timeless",
		in: "Event 2019: The server was unable to allocate from the system nonpaged pool because the pool was empty.\n" +
			"Event ID 2020 - The server was unable to allocate from the system paged pool because the pool was empty.\n" +
			"Event ID: 2020 (Srv) \u2013 The server was unable to allocate from the system paged pool because\nthe pool was empty.\n",
		want: &facts.PoolExhaustion{NonPaged: 1, Paged: 2, Source: facts.Position{Path: "t.txt", Line: 1}},
	},
	{
		name: "Event Viewer before Vista quoted with a blank line between the fields: an event each",
		in: "The Issue\nEvent ID 2020\n\nEvent Type: Error\n\nEvent Source: Srv\n\nEvent Category: None\n\nEvent ID: 2020\n\n" +
			"Description:\n\nThe server was unable to allocate from the system paged pool because the pool was empty.\n\n" +
			"Event ID 2019\n\nEvent Type: Error\n\nEvent Source: Srv\n\nEvent Category: None\n\nEvent ID: 2019\n\n" +
			"Description:\n\nThe server was unable to allocate from the system NonPaged pool because the pool was empty.\n",
		want:         &facts.PoolExhaustion{NonPaged: 1, Paged: 1, Source: facts.Position{Path: "t.txt", Line: 2}},
		unrecognized: 1,
	},
	{
		name: "Format-List's records apart by a blank line: the next record's first field starts it",
		in: "TimeCreated  : 12/7/2026 2:13:05 PM\nProviderName : Srv\nId           : 2020\n\n" +
			"TimeCreated  : 12/6/2026 2:13:05 PM\nProviderName : Contoso-Backup\nId           : 2019\n",
		want: &facts.PoolExhaustion{Paged: 1, First: "12/7/2026 2:13:05 PM", Last: "12/7/2026 2:13:05 PM",
			FirstAt: "2026-12-07T14:13:05", LastAt: "2026-12-07T14:13:05", Source: facts.Position{Path: "t.txt", Line: 1}},
	},
	{
		name: "the event's data words under its Data: are the event's",
		in: "Event Type: Error\nEvent Source: Srv\nEvent ID: 2020\nDescription:\n" +
			"The server was unable to allocate from the system paged pool because the pool was empty.\n" +
			"Data:\n0000: 00040000 00540001 00000000 c00007e4\n0010: 0000000b\n",
		want: &facts.PoolExhaustion{Paged: 1, Source: facts.Position{Path: "t.txt", Line: 1}},
	},
	{
		name: "Knowledge Base articles' \"Key - value\"",
		in: "Source - SRV\nType - Error\nEvent ID - 2020\nDescription -\n\n" +
			"The server was unable to allocate from the system paged pool because the pool was empty.\n" +
			"Data -\n0000: 00040000 00540001 00000000 c00007e4\n",
		want: &facts.PoolExhaustion{Paged: 1, Source: facts.Position{Path: "t.txt", Line: 1}},
	},
	{
		name: "Event Viewer's list saved as tab-delimited text, a message quoted over lines",
		in: "Level\tDate and Time\tSource\tEvent ID\tTask Category\n" +
			"Information\t3/4/2026 2:10:00 PM\tService Control Manager\t7036\tNone\t\"The Print Spooler service\n" +
			"User: N/A\nentered the running state.\"\n" +
			"Error\t3/4/2026 2:13:05 PM\tsrv\t2019\tNone\t\"The server was unable to allocate from the system nonpaged pool because the pool was empty.\"\n",
		want: &facts.PoolExhaustion{NonPaged: 1, First: "3/4/2026 2:13:05 PM", Last: "3/4/2026 2:13:05 PM",
			FirstAt: "2026-03-04T14:13:05", LastAt: "2026-03-04T14:13:05", Source: facts.Position{Path: "t.txt", Line: 5}},
	},
	{
		name: "Event Viewer's list saved as tab-delimited text with its cells quoted",
		in: "\"Level\"\t\"Date and Time\"\t\"Source\"\t\"Event ID\"\t\"Task Category\"\n" +
			"\"Error\"\t\"3/4/2026 2:13:05 PM\"\t\"Srv\"\t\"2019\"\t\"None\"\n",
		want: &facts.PoolExhaustion{NonPaged: 1, First: "3/4/2026 2:13:05 PM", Last: "3/4/2026 2:13:05 PM",
			FirstAt: "2026-03-04T14:13:05", LastAt: "2026-03-04T14:13:05", Source: facts.Position{Path: "t.txt", Line: 2}},
	},
	{
		name: "Event Viewer's list saved as CSV, quoted cells; another source's 2019 is another event",
		in: "\"Level\",\"Date and Time\",\"Source\",\"Event ID\",\"Task Category\"\n" +
			"\"Error\",\"3/4/2026 2:13:05 PM\",\"Srv\",\"2020\",\"None\"\n" +
			"\"Error\",\"3/4/2026 2:14:00 PM\",\"Contoso-Backup\",\"2019\",\"None\"\n",
		want: &facts.PoolExhaustion{Paged: 1, First: "3/4/2026 2:13:05 PM", Last: "3/4/2026 2:13:05 PM",
			FirstAt: "2026-03-04T14:13:05", LastAt: "2026-03-04T14:13:05", Source: facts.Position{Path: "t.txt", Line: 2}},
	},
	{
		name: "Event Viewer's list saved in German: its headers, a dotted date with the day first",
		in: "Ebene,Datum und Uhrzeit,Quelle,Ereignis-ID,Aufgabenkategorie\n" +
			"Informationen,03.04.2026 14:10:00,Service Control Manager,7036,Keine\n" +
			"Fehler,03.04.2026 14:13:05,Srv,2019,Keine\n",
		want: &facts.PoolExhaustion{NonPaged: 1, First: "03.04.2026 14:13:05", Last: "03.04.2026 14:13:05",
			FirstAt: "2026-04-03T14:13:05", LastAt: "2026-04-03T14:13:05", Source: facts.Position{Path: "t.txt", Line: 3}},
	},
	{
		name: "Event Viewer's list copied in French: its typographic apostrophe, a date with the day first",
		in: "Niveau\tDate et heure\tSource\tID de l\u2019\u00e9v\u00e9nement\tCat\u00e9gorie de la t\u00e2che\n" +
			"Erreur\t04/06/2026 15:20:00\tSrv\t2020\tAucun\t\"The server was unable to allocate from the system paged pool because the pool was empty.\"\n",
		want: &facts.PoolExhaustion{Paged: 1, First: "04/06/2026 15:20:00", Last: "04/06/2026 15:20:00",
			FirstAt: "2026-06-04T15:20:00", LastAt: "2026-06-04T15:20:00", Source: facts.Position{Path: "t.txt", Line: 2}},
	},
	{
		name: "Event Viewer's list saved in Japanese: its headers, a date with the year first",
		in: "\ufeff\u30ec\u30d9\u30eb,\u65e5\u4ed8\u3068\u6642\u523b,\u30bd\u30fc\u30b9,\u30a4\u30d9\u30f3\u30c8 ID,\u30bf\u30b9\u30af\u306e\u30ab\u30c6\u30b4\u30ea\n" +
			"\u30a8\u30e9\u30fc,2026/04/03 9:05:00,Srv,2019,\u306a\u3057\n",
		want: &facts.PoolExhaustion{NonPaged: 1, First: "2026/04/03 9:05:00", Last: "2026/04/03 9:05:00",
			FirstAt: "2026-04-03T09:05:00", LastAt: "2026-04-03T09:05:00", Source: facts.Position{Path: "t.txt", Line: 2}},
	},
}

// TestRead reads each shape into the events of pool running out.
func TestRead(t *testing.T) {
	for _, tc := range append(readCases[:len(readCases):len(readCases)], quotedCases...) {
		t.Run(tc.name, func(t *testing.T) {
			snap, err := dumpreader.Read(strings.NewReader(tc.in), "t.txt", dumpreader.Options{Format: dumpreader.FormatEventLog})
			if err != nil {
				t.Fatal(err)
			}
			var got *facts.PoolExhaustion
			if snap.Memory != nil {
				got = snap.Memory.PoolExhaustion
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("PoolExhaustion diff (-want +got):\n%s", diff)
			}
			if n := snap.Sources[0].Lines.Unrecognized; n != tc.unrecognized {
				t.Errorf("unrecognized lines = %d, want %d (diagnostics %+v)", n, tc.unrecognized, snap.Diagnostics)
			}
		})
	}
}

// TestSniff: each shape is an event log; other tools' key-value lists and
// tables with an Id column are not.
func TestSniff(t *testing.T) {
	for _, tc := range append(readCases[:7:7], quotedCases...) {
		if !eventlog.Sniff([]byte(tc.in)) {
			t.Errorf("Sniff(%q) = false, want true", tc.name)
		}
	}
	for _, in := range []string{
		"Id      : 4242\nHandles : 51234\nName    : ContosoAgent\n",
		"Handles  NPM(K)    PM(K)      WS(K)     CPU(s)     Id  SI ProcessName\n-------  ------    -----      -----     ------     --  -- -----------\n  51234      40   120000     130000      12.50   4242   0 ContosoAgent\n",
		"The server was unable to allocate from the system nonpaged pool because the pool was empty.\n",
		"Event ID: 4227\nSource: Tcpip\nDescription: TCP/IP failed to establish an outgoing connection.\n",
		"Event ID 2019\nSee the article for event 2019.\n",
		"Event 4227: The server was unable to allocate from the system nonpaged pool because the pool was empty.\n",
		"Event 2019 was logged after the backup; the server was unable to allocate from the system nonpaged pool.\n",
	} {
		if eventlog.Sniff([]byte(in)) {
			t.Errorf("Sniff(%q) = true, want false", in)
		}
	}
}
