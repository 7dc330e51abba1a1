package listgen

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// lsofFile is one open file as lsof describes it.
type lsofFile struct {
	fd         string // a number, or cwd, rtd, txt, mem
	mode       byte   // r, w, u, or ' '
	typ        string
	dev, size  string
	node, name string
}

// WriteLsof writes the output of `lsof -nP` (lsof 4.93, without the TID
// and TASKCMD columns of threads): a header, then a row per open file,
// each process's cwd, rtd, txt and mem rows before its descriptors:
//
//	COMMAND     PID     USER  FD      TYPE             DEVICE  SIZE/OFF     NODE NAME
//	java       4242      app cwd       DIR              259,2      4096  1835010 /srv/app
//	java       4242      app   0r      CHR                1,3       0t0        5 /dev/null
//
// Handles counts the descriptors; the other rows come on top.
func WriteLsof(w io.Writer, cfg Config) (Stats, error) {
	return writeFunc(w, cfg, func(bw *bufio.Writer, p *plan) {
		bw.WriteString("root@web01:~# lsof -nP\n")
		fmt.Fprintf(bw, "%-9s%6s %8s %3s  %8s %18s %9s %8s %s\n", "COMMAND", "PID", "USER", "FD", "TYPE", "DEVICE", "SIZE/OFF", "NODE", "NAME")
		var line []byte
		p.eachLsofFile(func(i int, f *lsofFile) {
			line = fmt.Appendf(line[:0], "%-9.9s%6d %8s %3s%c %8s %18s %9s %8s ", lsofCommand(i), pid(i), lsofUser(i), f.fd, f.mode, f.typ, f.dev, f.size, f.node)
			line = append(append(line, f.name...), '\n')
			bw.Write(line)
		})
	})
}

// WriteLsofFields writes the output of `lsof -nP -F pcuftDsiPn`:
// a process set (p, c, u fields), then a file set per open file (f, t, D,
// s, i, P, n), one field a line; with nul, as -F0 prints it, every set on
// one line, each field ended by a NUL.
func WriteLsofFields(w io.Writer, cfg Config, nul bool) (Stats, error) {
	end := byte('\n')
	cmd := "root@web01:~# lsof -nP -F pcuftDsiPn\n"
	if nul {
		end = 0
		cmd = "root@web01:~# lsof -nP -F0 pcuftDsiPn\n"
	}
	return writeFunc(w, cfg, func(bw *bufio.Writer, p *plan) {
		bw.WriteString(cmd)
		var line []byte
		last := -1
		p.eachLsofFile(func(i int, f *lsofFile) {
			line = line[:0]
			if i != last {
				last = i
				line = append(strconv.AppendInt(append(line, 'p'), int64(pid(i)), 10), end)
				line = append(append(append(line, 'c'), lsofCommand(i)...), end)
				line = append(strconv.AppendInt(append(line, 'u'), int64(1000+i%7), 10), end)
				if nul {
					line = append(line, '\n')
				}
			}
			line = append(append(append(line, 'f'), f.fd...), end)
			line = append(append(append(line, 't'), f.typ...), end)
			switch f.typ {
			case "IPv4": // DEVICE shows the socket's inode, NODE its protocol
				line = append(append(append(line, 'i'), f.dev...), end)
				line = append(append(append(line, 'P'), f.node...), end)
			case "unix":
				line = append(append(append(line, 'i'), f.node...), end)
			default:
				line = append(append(append(line, 'D'), f.dev...), end)
				line = append(append(append(line, 's'), f.size...), end)
				line = append(append(append(line, 'i'), f.node...), end)
			}
			line = append(append(append(line, 'n'), f.name...), end)
			if nul {
				line = append(line, '\n')
			}
			bw.Write(line)
		})
	})
}

func lsofCommand(i int) string {
	if i == 0 {
		return "leakyd"
	}
	return lsofCommands[i%len(lsofCommands)]
}

var lsofCommands = []string{"nginx", "java", "postgres", "python3", "node", "sshd", "systemd", "haproxy"}

func lsofUser(i int) string { return lsofUsers[i%len(lsofUsers)] }

var lsofUsers = []string{"root", "www-data", "postgres", "app"}

// eachLsofFile calls fn with every open file of every process, in order.
func (p *plan) eachLsofFile(fn func(i int, f *lsofFile)) {
	var f lsofFile
	var name []byte
	for i, n := range p.per {
		cmd := lsofCommand(i)
		for _, base := range []lsofFile{
			{fd: "cwd", mode: ' ', typ: "DIR", dev: "259,2", size: "4096", node: "1835010", name: "/srv/" + cmd},
			{fd: "rtd", mode: ' ', typ: "DIR", dev: "259,2", size: "4096", node: "2", name: "/"},
			{fd: "txt", mode: ' ', typ: "REG", dev: "259,2", size: "1849992", node: "3018911", name: "/usr/bin/" + cmd},
			{fd: "mem", mode: ' ', typ: "REG", dev: "259,2", size: "2216304", node: "3017442", name: "/usr/lib/x86_64-linux-gnu/libc.so.6"},
			{fd: "mem", mode: ' ', typ: "REG", dev: "259,2", size: "149760", node: "3018316", name: "/usr/lib/x86_64-linux-gnu/libgpg-error.so.0.32.1"},
		} {
			f = base
			fn(i, &f)
		}
		for j := int64(0); j < n; j++ {
			f = lsofFile{fd: strconv.FormatInt(j, 10), mode: 'u'}
			name = p.lsofObject(i, j, &f, name[:0])
			f.name = string(name)
			fn(i, &f)
		}
	}
}

// lsofObject draws descriptor j of process i into f, its name appended to
// buf.
func (p *plan) lsofObject(i int, j int64, f *lsofFile, buf []byte) []byte {
	if j < 3 {
		f.typ, f.dev, f.size, f.node = "CHR", "1,3", "0t0", "5"
		return append(buf, "/dev/null"...)
	}
	if p.leaky(i, j) {
		f.typ, f.dev, f.size, f.node = "REG", "259,2", strconv.FormatInt(4096+j, 10), strconv.FormatInt(4000000+j, 10)
		return strconv.AppendInt(append(buf, "/var/spool/leakyd/req-"...), j, 10)
	}
	k := int64(p.zipf.Uint64())
	switch k % 8 {
	case 0, 1:
		f.typ, f.dev, f.size, f.node = "REG", "259,2", strconv.FormatInt(10000+k*37, 10), strconv.FormatInt(2000000+k, 10)
		return strconv.AppendInt(append(buf, "/var/lib/app/data/segment-"...), k, 10)
	case 2:
		f.typ, f.dev, f.size, f.node = "FIFO", "0,13", "0t0", strconv.FormatInt(35000+k, 10)
		return append(buf, "pipe"...)
	case 3:
		f.typ, f.dev, f.size, f.node = "a_inode", "0,14", "0", "1058"
		return append(buf, "[eventpoll]"...)
	case 4:
		f.typ, f.dev, f.size, f.node = "unix", "0xffff9a3e0b6c3400", "0t0", strconv.FormatInt(19000+k, 10)
		return append(buf, "type=STREAM (CONNECTED)"...)
	case 5, 6:
		state := [...]string{"ESTABLISHED", "CLOSE_WAIT", "TIME_WAIT", "LISTEN"}[k%4]
		f.typ, f.dev, f.size, f.node = "IPv4", strconv.FormatInt(88000+k, 10), "0t0", "TCP"
		return fmt.Appendf(buf, "10.0.3.17:%d->10.0.9.%d:5432 (%s)", 40000+k%20000, k%250, state)
	default:
		f.typ, f.dev, f.size, f.node = "DIR", "259,2", "4096", strconv.FormatInt(1835010+k, 10)
		return strconv.AppendInt(append(buf, "/srv/app/cache/d"...), k, 10)
	}
}
