module udsinterop.dev/go-reference

go 1.19
