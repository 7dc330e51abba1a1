//go:build !unix

package main

// removeOnSignal does nothing where a signal cannot be raised again once
// handled: an interrupted run leaves its temporary files (hidden, beside
// the reports), and the reports they would have replaced untouched.
func removeOnSignal() (stop func()) { return func() {} }
