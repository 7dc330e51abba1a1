package listgen

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// WriteHandle writes the output of `handle64 -a` (Handle 4.22): a banner,
// then for each process a dashed line, its header and its handles:
//
//	------------------------------------------------------------------------------
//	notepad.exe pid: 6312 DESKTOP-7Q2KLM\dev
//	    4: Event
//	   3C: File  (RW-)   C:\Users\dev\Documents
//	   40: Key           HKLM\SYSTEM\ControlSet001\Control\Session Manager
func WriteHandle(w io.Writer, cfg Config) (Stats, error) {
	return writeFunc(w, cfg, func(bw *bufio.Writer, p *plan) {
		bw.WriteString("C:\\Tools>handle64 -a\n\nNthandle v4.22 - Handle viewer\nCopyright (C) 1997-2019 Mark Russinovich\nSysinternals - www.sysinternals.com\n\n")
		var line, nb []byte
		for i, n := range p.per {
			fmt.Fprintf(bw, "------------------------------------------------------------------------------\n%s pid: %d CONTOSO\\svc%d\n", image(i), pid(i), i%7)
			for j := int64(0); j < n; j++ {
				typ, name := p.handleObject(i, j, nb[:0])
				nb = name
				line = fmt.Appendf(line[:0], "%5X: ", 4*(j+1))
				if typ == "File" {
					line = append(line, "File  (RW-)   "...)
				} else {
					line = fmt.Appendf(line, "%-13s ", typ)
				}
				line = append(append(line, name...), '\n')
				bw.Write(line)
			}
		}
	})
}

// WriteHandleCSV writes the output of `handle64 -a -v`: a CSV header,
// then a row per handle, each name followed by the blank Handle prints:
//
//	Process,PID,User,Handle,Type,Share Flags,Name
//	svchost.exe,1288,NT AUTHORITY\LOCAL SERVICE,0x00000004,Event,,
func WriteHandleCSV(w io.Writer, cfg Config) (Stats, error) {
	return writeFunc(w, cfg, func(bw *bufio.Writer, p *plan) {
		bw.WriteString("C:\\Tools>handle64 -accepteula -nobanner -a -v\nProcess,PID,User,Handle,Type,Share Flags,Name\n")
		var line, nb []byte
		for i, n := range p.per {
			for j := int64(0); j < n; j++ {
				typ, name := p.handleObject(i, j, nb[:0])
				nb = name
				line = fmt.Appendf(line[:0], "%s,%d,CONTOSO\\svc%d,0x%08X,%s,", image(i), pid(i), i%7, 4*(j+1), typ)
				if typ == "File" {
					line = append(line, "RW-"...)
				}
				line = append(append(append(line, ','), name...), " \n"...)
				bw.Write(line)
			}
		}
	})
}

// handleObject draws the type and name of handle j of process i, the name
// appended to buf.
func (p *plan) handleObject(i int, j int64, buf []byte) (string, []byte) {
	if p.leaky(i, j) {
		return "File", strconv.AppendInt(append(buf, `C:\ProgramData\Contoso\spool\req-`...), j, 10)
	}
	k := int(p.zipf.Uint64())
	switch t := handleTypes[k%len(handleTypes)]; t {
	case "File":
		return t, strconv.AppendInt(append(buf, `C:\Windows\System32\drivers\etc\cache-`...), int64(k), 10)
	case "Key":
		return t, strconv.AppendInt(append(buf, `HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component`...), int64(k), 10)
	case "Event", "Mutant", "Semaphore", "Section":
		if k%3 == 0 {
			return t, buf // unnamed
		}
		return t, strconv.AppendInt(append(buf, `\Sessions\1\BaseNamedObjects\Local_`...), int64(k), 10)
	case "ALPC Port":
		return t, strconv.AppendInt(append(buf, `\RPC Control\OLE`...), int64(k), 16)
	default:
		return t, buf
	}
}

// handleTypes are the types handles get, some more often than others.
var handleTypes = []string{
	"Event", "File", "Key", "Event", "File", "Section", "Mutant", "Semaphore", "ALPC Port",
	"WaitCompletionPacket", "IoCompletion", "EtwRegistration", "Directory", "Event", "Key", "File",
	"IRTimer", "TpWorkerFactory", "Token", "Desktop", "WindowStation",
}
