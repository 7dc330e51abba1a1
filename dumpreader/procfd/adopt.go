package procfd

// adoptPID gives the listing under way the pid its first row's path
// shows, when its command named the process by image alone: the shell
// expands `ls -l /proc/$(pidof NAME)/fd/*` to paths that carry the pid,
// so the rows name the process the command named, not another one. It
// reports whether it did; it does not when the listing already has a
// pid or rows, or when the capture lists that pid under its own key.
func (z *reader) adoptPID(w who) bool {
	l := z.cur
	if l == nil || w.pid < 0 || l.pid >= 0 || l.pb.P.Image == "" || l.fds > 0 || l.dups > 0 {
		return false
	}
	k := w.key()
	if _, ok := z.all[k]; ok {
		return false
	}
	l.pid = w.pid
	l.pb.P.PID = uint64(w.pid)
	z.all[k] = l
	return true
}
