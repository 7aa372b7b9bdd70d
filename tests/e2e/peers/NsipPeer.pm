# Shared code for the Net::SIP test peers (nsip_agent.pl, nsip_caller.pl): fact lines on stdout,
# G.711 tables, a sine RTP source, a recorder that writes what it hears as 16-bit PCM, and an
# RTP media handler for Net::SIP::Simple::Call (init_media).
#
# Written against libnet-sip-perl 0.835 (Debian 12). The media handler calls two internal
# functions of Net::SIP::Simple::RTP (_send_rtp, _receive_rtp) that carry the RFC 4733 DTMF
# generation and extraction; they are stable in 0.835, which is the version the tests pin.
package NsipPeer;
use strict;
use warnings;
use Exporter 'import';
use IO::Handle;
use Time::HiRes ();
use Net::SIP::Dispatcher::Eventloop;    # EV_READ
use Net::SIP::Simple::RTP;
use Net::SIP::SDP;
use Net::SIP::Util qw(create_rtp_sockets sip_hdrval2parts);

our @EXPORT_OK = qw(fact note set_verbose ulaw_encode alaw_encode g711_decode_table
    make_tone_source make_recorder media_init choose_codec build_answer_sdp uri_of rec_path
    hold_reinvite);

my $VERBOSE = 0;
my $T0 = Time::HiRes::time();
STDOUT->autoflush(1);
STDERR->autoflush(1);

sub set_verbose { $VERBOSE = shift }

# One fact per line on stdout, flushed (the tests wait for these lines).
sub fact {
    my $line = join(' ', @_);
    print STDOUT "$line\n";
    note("FACT $line") if $VERBOSE;
}

# Diagnostics on stderr, with seconds since start.
sub note {
    return unless $VERBOSE;
    printf STDERR "[%8.3f] %s\n", Time::HiRes::time() - $T0, join(' ', @_);
}

# The bare URI of a From/To header value ("Alice" <sip:a@h>;tag=x -> sip:a@h).
sub uri_of {
    my $hdr = shift // '';
    my ($addr) = sip_hdrval2parts(from => $hdr);
    $addr //= $hdr;
    $addr = $1 if $addr =~ m{<([^>]*)>};
    $addr =~ s/^\s+|\s+$//g;
    $addr =~ s/\s+/_/g;
    return $addr eq '' ? '-' : $addr;
}

# "%n" in a --rec path is replaced by the call number (1, 2, ...).
sub rec_path {
    my ($pattern, $n) = @_;
    return undef unless defined $pattern && $pattern ne '';
    (my $p = $pattern) =~ s/%n/$n/g;
    return $p;
}

# ---------------------------------------------------------------- G.711
sub ulaw_encode {
    my $s = shift;
    my $sign = 0;
    if ($s < 0) { $sign = 0x80; $s = -$s }
    $s = 32635 if $s > 32635;
    $s += 0x84;
    my $exp = 7;
    for (my $m = 0x4000; ($s & $m) == 0 && $exp > 0; $m >>= 1) { $exp-- }
    my $mant = ($s >> ($exp + 3)) & 0x0F;
    return (~($sign | ($exp << 4) | $mant)) & 0xFF;
}

sub alaw_encode {
    my $s = shift;
    my $mask;
    if ($s >= 0) { $mask = 0xD5 } else { $mask = 0x55; $s = -$s - 1 }
    $s = 32767 if $s > 32767;
    my @seg_end = (0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF, 0x3FFF, 0x7FFF);
    my $seg = 0;
    $seg++ while $seg < 8 && $s > $seg_end[$seg];
    return (0x7F ^ $mask) & 0xFF if $seg >= 8;
    my $aval = $seg << 4;
    $aval |= $seg < 2 ? (($s >> 4) & 0x0F) : (($s >> ($seg + 3)) & 0x0F);
    return ($aval ^ $mask) & 0xFF;
}

sub _ulaw_decode {
    my $u = (~shift) & 0xFF;
    my $t = (($u & 0x0F) << 3) + 0x84;
    $t <<= ($u & 0x70) >> 4;
    return ($u & 0x80) ? (0x84 - $t) : ($t - 0x84);
}

sub _alaw_decode {
    my $a = (shift) ^ 0x55;
    my $t = ($a & 0x0F) << 4;
    my $seg = ($a & 0x70) >> 4;
    if ($seg == 0) { $t += 8 }
    elsif ($seg == 1) { $t += 0x108 }
    else { $t += 0x108; $t <<= $seg - 1 }
    return ($a & 0x80) ? $t : -$t;
}

my (%DECODE);    # pt -> [256 x packed s16le]
sub g711_decode_table {
    my $pt = shift;
    return $DECODE{$pt} //= [map { pack('s<', $pt == 8 ? _alaw_decode($_) : _ulaw_decode($_)) } 0 .. 255];
}

# ---------------------------------------------------------------- media source
# Returns a callback for _send_rtp that yields 160-byte G.711 payloads (20 ms) of a sine.
# A whole second (8000 samples) is pre-encoded, so an integer frequency loops seamlessly.
# freq 0 = digital silence.
sub make_tone_source {
    my ($freq, $pt, $amplitude) = @_;
    $amplitude //= 8000;    # about -12 dBFS
    my $enc = $pt == 8 ? \&alaw_encode : \&ulaw_encode;
    my $buf = '';
    for my $i (0 .. 7999) {
        my $v = $freq > 0 ? int($amplitude * sin(2 * 3.14159265358979 * $freq * $i / 8000)) : 0;
        $buf .= chr($enc->($v));
    }
    my $pos = 0;
    return sub {
        my $p = substr($buf, $pos, 160);
        $pos = ($pos + 160) % 8000;
        return $p;
    };
}

# ---------------------------------------------------------------- recorder
# Writes received PCMU/PCMA audio decoded to signed 16-bit little-endian mono 8 kHz. The file's
# time axis follows the wall clock from media start: when packets stop arriving for more than
# 200 ms, the gap is filled with silence before the next packet is written, and at the end
# (hang-up) silence is added up to the present. Packets of other
# payload types (telephone-event, comfort noise) are not written.
sub make_recorder {
    my ($path, $append) = @_;
    return undef unless defined $path;
    my $fh;
    open($fh, $append ? '>>' : '>', $path) or die "cannot open $path: $!\n";
    binmode $fh;
    $fh->autoflush(1);
    my $rec = { fh => $fh, path => $path, start => undef, written => 0 };
    $rec->{start_clock} = sub { $rec->{start} //= Time::HiRes::time() };
    $rec->{write} = sub {
        my ($payload, $seq, $ts, $channel, $pt) = @_;
        return unless defined $pt && ($pt == 0 || $pt == 8);
        my $now = Time::HiRes::time();
        $rec->{start} //= $now;
        my $expected = int(($now - $rec->{start}) * 8000);
        if ($expected - $rec->{written} > 1600) {
            my $pad = $expected - $rec->{written} - length($payload);
            if ($pad > 0) {
                print {$fh} "\0\0" x $pad;
                $rec->{written} += $pad;
            }
        }
        my $tab = g711_decode_table($pt);
        print {$fh} join('', map { $tab->[$_] } unpack('C*', $payload));
        $rec->{written} += length($payload);
    };
    # at the end, silence up to the present: the file covers media start .. hang-up
    $rec->{close} = sub {
        return unless $fh;
        if (defined $rec->{start}) {
            my $pad = int((Time::HiRes::time() - $rec->{start}) * 8000) - $rec->{written};
            print {$fh} "\0\0" x $pad if $pad > 0;
        }
        close($fh);
        $fh = undef;
    };
    return $rec;
}

# ---------------------------------------------------------------- SDP helpers
# From an offer (Net::SIP::SDP), pick the first audio codec of PCMU(0)/PCMA(8) and the
# telephone-event payload type. Returns (codec_pt, te_pt or undef), or () if none is usable.
sub choose_codec {
    my ($sdp, $prefer) = @_;
    my ($m) = grep { $_->{media} eq 'audio' } $sdp->get_media or return;
    my @fmt = @{ $m->{fmt} || [] };
    my @ok = grep { $_ eq '0' || $_ eq '8' } @fmt;
    return unless @ok;
    my $codec = $ok[0];
    $codec = $prefer if defined $prefer && grep { $_ eq $prefer } @ok;
    my $te = $sdp->name2int('telephone-event/8000', 'audio');
    return ($codec + 0, $te);
}

# Builds our answer/offer SDP with a fresh RTP socket pair; returns ($sdp, $lsocks).
sub build_answer_sdp {
    my ($laddr, $codec, $te) = @_;
    my ($port, @socks) = create_rtp_sockets($laddr, 2) or die "cannot create RTP sockets: $!\n";
    my $name = $codec == 8 ? 'PCMA/8000' : 'PCMU/8000';
    my @fmt = ($codec);
    my @a = ("rtpmap:$codec $name");
    if (defined $te) {
        push @fmt, $te;
        push @a, "rtpmap:$te telephone-event/8000", "fmtp:$te 0-16";
    }
    push @a, 'ptime:20', 'sendrecv';
    my $sdp = Net::SIP::SDP->new({ addr => $laddr },
        { port => $port, range => 2, media => 'audio', proto => 'RTP/AVP', fmt => \@fmt, a => \@a });
    return ($sdp, [ \@socks ]);
}

# ---------------------------------------------------------------- media handler
# init_media callback for Net::SIP::Simple::Call: receive (record + RFC 4733 extraction via the
# call's cb_dtmf) and send the tone every 20 ms with the call's rtp_param payload type. Unlike
# Net::SIP's media_send_recv it has no "10 s without RTP -> BYE" rule: the tests decide hangups.
#   $opt: { tone => HZ, recorder => $rec or undef }
sub media_init {
    my ($opt) = @_;
    my $sub = sub {
        my ($opt, $call, $args) = @_;
        my $lsocks = $args->{media_lsocks} || [];
        my $ssocks = $args->{media_ssocks} || $lsocks;
        my $raddr  = $args->{media_raddr} || [];
        my $mdtmf  = $args->{media_dtmfxtract};
        my $pt     = $args->{rtp_param}[0] || 0;
        my $rec    = $opt->{recorder};
        $rec->{start_clock}->() if $rec;
        my $writeto = $rec ? $rec->{write} : undef;
        my $didit = 0;
        for (my $i = 0; $i < @$lsocks; $i++) {
            my $channel = $i;
            my $sock = $lsocks->[$i];
            my ($timer, $reset_to_blocking);
            my %targs = (
                dtmf_gen    => $args->{dtmf_events},
                dtmf_xtract => $mdtmf && $mdtmf->[$i] && $args->{cb_dtmf}
                    && [ $mdtmf->[$i], $args->{cb_dtmf} ],
            );
            if ($sock) {
                $sock = $sock->[0] if ref($sock) eq 'ARRAY';
                my $receive = sub {
                    my ($writeto, $targs, $didit, $sock) = @_;
                    while (1) {
                        my $buf = Net::SIP::Simple::RTP::_receive_rtp($sock, $writeto, $targs, $didit, $channel);
                        defined($buf) or return;
                    }
                };
                $call->{loop}->addFD($sock, EV_READ, [ $receive, $writeto, { %targs }, \$didit ], 'rtp_receive');
                $reset_to_blocking = $sock->blocking(0);
            }
            my $addr = $raddr->[$i];
            $addr = $addr->[0] if ref($addr);
            if ($addr and my $s_sock = $ssocks->[$i]) {
                $s_sock = $s_sock->[0] if ref($s_sock) eq 'ARRAY';
                $timer = $call->{dispatcher}->add_timer(0,
                    [ \&Net::SIP::Simple::RTP::_send_rtp, $s_sock, $call->{loop}, $addr,
                      [ make_tone_source($opt->{tone} // 0, $pt) ], $channel,
                      { %targs, repeat => -1, cb_done => sub { }, rtp_param => $args->{rtp_param} } ],
                    $args->{rtp_param}[2], 'rtpsend');
            }
            push @{ $call->{rtp_cleanup} }, [ sub {
                my ($call, $sock, $timer, $rb) = @_;
                if ($sock) { $call->{loop}->delFD($sock); $sock->blocking(1) if $rb }
                $timer->cancel() if $timer;
            }, $call, $sock, $timer, $reset_to_blocking ];
        }
    };
    return [ $sub, $opt ];
}

# A re-INVITE in the call: on hold (our SDP with c=0.0.0.0, Net::SIP's call_on_hold) or back.
# Net::SIP restarts the call's media (tone and recording) once it is answered. Facts:
# "WHAT DIR" (DIR: the answer's direction, sendrecv when none) or "WHAT failed CODE".
sub hold_reinvite {
    my ($call, $what, $hold) = @_;
    note("re-INVITE: $what");
    # Net::SIP 0.835 keeps offering the held SDP after call_on_hold: give back the saved one.
    my $saved = $call->{param}{_sdp_saved};
    $call->reinvite(call_on_hold => $hold, (!$hold && $saved ? (sdp => $saved) : ()), cb_final => sub {
        my ($status, undef, %info) = @_;
        if ($status ne 'OK') {
            fact("$what failed " . ($info{code} || 503));
            return;
        }
        my ($dir) = ($info{packet} ? $info{packet}->as_string : '')
            =~ /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/m;
        fact("$what " . ($dir // 'sendrecv'));
    });
}

1;
