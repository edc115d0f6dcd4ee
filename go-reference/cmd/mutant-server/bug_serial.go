// SPDX-License-Identifier: Apache-2.0
// Bug "serial": one client at a time; the others wait, connected, until it has gone.

package main

func init() {
	register(&bug{
		name:   "serial",
		doc:    "serves one client at a time: the next waits until the current one has closed",
		serial: true,
	})
}
