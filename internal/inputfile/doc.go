// Package inputfile reads the files gw is given on its command line —
// models, templates, @argument files — as untrusted input: only regular
// files are read (a named pipe, a device or a socket is refused before a
// byte is read, so /dev/zero cannot stream gw without end and a FIFO cannot
// hang it), and always through a size limit that does not trust Stat (a
// symbolic link, a file under /proc or one that grows while it is read is
// cut at the limit). A file over the limit is a limits.Error naming
// --max-file-size.
package inputfile
