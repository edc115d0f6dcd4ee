// SPDX-License-Identifier: Apache-2.0
// Bug "keep-socket": on SIGTERM or SIGINT the server exits 0 but never removes its socket file.

package main

func init() {
	register(&bug{
		name:       "keep-socket",
		doc:        "never removes its socket file when it stops",
		keepSocket: true,
	})
}
