# The './cortex' command line's fast path: sends one call to the running resident Cortex of the data directory over
# its Unix domain socket and plays back what the command prints (docs/performance.md, "CLI call"). Perl starts in a
# few milliseconds where even the smallest JVM takes ~80 ms of CPU; Perl's core is on every Linux and macOS (git
# itself uses it). It speaks the protocol of io.cortex.client.Wire/Request. Whatever is not the fast path — no
# resident process yet (start one), one of another build, a socket path too long — goes to the Java client
# (io.cortex.client.CortexClient), which handles it all: the launcher passes its command line as JAVA_CLIENT.
#
# Arguments: HOME LAUNCHER TTY COLUMNS -- ARGS...   (TTY: "out", "err", "out,err" or "")
use strict;
use warnings;
use Socket qw(PF_UNIX SOCK_STREAM pack_sockaddr_un);
use Cwd qw(getcwd);

my ($home, $launcher, $tty, $columns, $sep, @args) = @ARGV;
die "cortex-client: bad arguments\n" unless defined $sep && $sep eq '--';

sub java_client { # the slow path: the Java client does the same call, starting a resident process if needed
  my @java = split /\x1f/, ($ENV{_CORTEX_JAVA_CLIENT} // '');
  die "cortex: no Java client command\n" unless @java;
  exec { $java[0] } @java, @args;
  die "cortex: cannot run java: $!\n";
}

sub normalize {
  my ($path) = @_;
  my @out;
  for my $part (split m{/+}, $path) {
    next if $part eq '' || $part eq '.';
    if ($part eq '..') { pop @out; next; }
    push @out, $part;
  }
  return '/' . join('/', @out);
}

my $cwd = getcwd();
sub absolute { my ($p) = @_; return normalize($p =~ m{^/} ? $p : "$cwd/$p"); }

# data directory: --data, else CORTEX_DATA, else <home>/data (as the CLI decides)
my $data;
for (my $i = 0; $i < @args; $i++) {
  last if $args[$i] eq '--';
  if ($args[$i] eq '--data' && $i + 1 < @args) { $data = $args[++$i]; }
  elsif ($args[$i] =~ /^--data=(.*)$/s) { $data = $1; }
}
if (!defined $data && defined $ENV{CORTEX_DATA} && $ENV{CORTEX_DATA} =~ /\S/) { ($data = $ENV{CORTEX_DATA}) =~ s/^\s+|\s+$//g; }
$data = defined $data ? absolute($data) : normalize("$home/data");
my $socket_path = "$data/daemon/cortex.sock";
java_client() if length($socket_path) > 100 || !-S $socket_path;

socket(my $sock, PF_UNIX, SOCK_STREAM, 0) or java_client();
connect($sock, pack_sockaddr_un($socket_path)) or java_client();
binmode $sock;

# the request (io.cortex.client.Request)
sub str { my ($s) = @_; utf8::encode($s) if utf8::is_utf8($s); return pack('N', length $s) . $s; }
my @env = grep { /^CORTEX_/ || /^(USER|LOGNAME|HOME|TERM|NO_COLOR|COLUMNS)$/ } sort keys %ENV;
my $jar = "$home/cortex-app/target/cortex.jar";
my $build = -f $jar ? int((stat $jar)[9]) : 'dev';
$build = $ENV{CORTEX_BUILD} if defined $ENV{CORTEX_BUILD};
my $user = getpwuid($<) // $ENV{USER} // 'unknown';
my $request = pack('NNc', 0x43525458, 1, 1) . str($build) . str($cwd) . pack('N', scalar @args)
  . join('', map { str($_) } @args) . pack('N', scalar @env) . join('', map { str($_) . str($ENV{$_}) } @env)
  . str($user) . pack('cc', ($tty =~ /out/ ? 1 : 0), ($tty =~ /err/ ? 1 : 0)) . pack('N', $columns =~ /^\d+$/ ? $columns : 0);

sub send_all { my ($bytes) = @_; while (length $bytes) { my $n = syswrite($sock, $bytes); return 0 unless defined $n; substr($bytes, 0, $n) = ''; } return 1; }
java_client() unless send_all($request);

my $started = 0;
my $finished = 0;
# Ctrl-C: tell the resident process, and end as an interrupted command does (130)
$SIG{INT} = sub { send_all(pack('c', 2)) unless $finished; exit 130; };
$SIG{PIPE} = 'IGNORE';

my $buffer = '';
my $stdin_open = 0;
sub fill {
  my ($need) = @_;
  while (length($buffer) < $need) {
    my $rin = '';
    vec($rin, fileno($sock), 1) = 1;
    vec($rin, fileno(STDIN), 1) = 1 if $stdin_open;
    my $ready = select(my $rout = $rin, undef, undef, undef);
    next if $ready < 0; # EINTR
    if ($stdin_open && vec($rout, fileno(STDIN), 1)) {
      my $n = sysread(STDIN, my $chunk, 65536);
      if (!$n) { $stdin_open = 0; send_all(pack('cN', 1, 0)); }
      else { send_all(pack('cN', 1, length $chunk) . $chunk); }
    }
    if (vec($rout, fileno($sock), 1)) {
      my $n = sysread($sock, $buffer, 65536, length $buffer);
      return 0 unless $n;
    }
  }
  return 1;
}
sub take { my ($n) = @_; my $bytes = substr($buffer, 0, $n); substr($buffer, 0, $n) = ''; return $bytes; }

binmode STDOUT;
binmode STDERR;
while (1) {
  if (!fill(1)) {
    java_client() unless $started;
    print STDERR "cortex: the resident Cortex stopped while this command ran; whatever it left half-done is finished"
      . " or put back by the next call. Check with './cortex audit' or './cortex status'.\n";
    exit 1;
  }
  my $type = unpack('c', take(1));
  if ($type == 1 || $type == 2) { # OUT, ERR
    fill(4) or next;
    my $length = unpack('N', take(4));
    fill($length) or next;
    my $bytes = take($length);
    my $fh = $type == 1 ? \*STDOUT : \*STDERR;
    my $offset = 0;
    while ($offset < length $bytes) { my $n = syswrite($fh, $bytes, length($bytes) - $offset, $offset); last unless defined $n; $offset += $n; }
  } elsif ($type == 3) { # EXIT
    fill(4) or next;
    $finished = 1;
    exit unpack('N', take(4));
  } elsif ($type == 4) { # STDIN_WANTED
    $stdin_open = 1;
  } elsif ($type == 6) { # RESTART: another build, or stopping; the Java client waits for it and starts a new one
    close $sock;
    java_client();
  } elsif ($type == 7) { # STARTED
    $started = 1;
  } else {
    print STDERR "cortex: unexpected answer $type from the resident Cortex\n";
    exit 1;
  }
}
