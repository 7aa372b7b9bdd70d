#!/usr/bin/perl
# Caller on Perl Net::SIP (libnet-sip-perl 0.835): one INVITE offering a single G.711 codec plus
# telephone-event 101, then sends a sine as RTP, records what it hears, sends RFC 4733 DTMF and
# hangs up (or cancels before the answer).
#
# Facts, one per line on stdout (flushed):
#   ringing CODE                  (first 1xx of each code other than 100, e.g. 180, 183)
#   answered                      (2xx received and ACKed; media starts here)
#   failed CODE                   (final non-2xx; 408 = no final answer, 503 = transport error)
#   dtmf D                        (one per RFC 4733 digit received)
#   dtmf-sent DIGITS
#   held DIR / resumed DIR        (with --hold-after / --resume-after: the re-INVITE putting the
#                                  call on hold (c=0.0.0.0) or back was answered 2xx; DIR is the
#                                  answer's direction, e.g. recvonly; "held failed CODE" otherwise)
#   cancel-sent / cancelled       (with --cancel-after: CANCEL sent / its INVITE got 487 or the
#                                  CANCEL was answered)
#   bye-received | bye-sent
#   exit CODE                     (process exit code follows: 0 = answered and ended, 1 = failed
#                                  or cancelled, 2 = usage)
# Run with --help for the options.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use Getopt::Long qw(GetOptions);
use Net::SIP;
use Net::SIP::Debug;
use NsipPeer qw(fact note set_verbose make_recorder media_init hold_reinvite);

my %o = (
    to => '', from => 'sip:caller@127.0.0.1', port => 0, tone => 1000, rec => '', dtmf => '',
    'dtmf-after' => 2, 'hangup-after' => 0, codec => 'pcmu', 'cancel-after' => 0,
    'answer-timeout' => 60, 'max-time' => 0, 'auth-user' => '', 'auth-pass' => '',
    'hold-after' => 0, 'resume-after' => 0,
    verbose => 0, debug => 0,
);
my $usage = <<"EOT";
usage: nsip_caller.pl --to sip:600\@127.0.0.1:PORT --port LOCALPORT [options]
  --from URI            From URI (default sip:caller\@127.0.0.1)
  --codec pcmu|pcma     the only audio codec offered (plus telephone-event/8000 as PT 101)
  --tone HZ             sine sent once answered (default 1000; 0 = silence)
  --rec FILE            what the caller hears, decoded to s16le mono 8 kHz, wall-clock
                        aligned from the 200 OK
  --dtmf DIGITS         RFC 4733 digits sent --dtmf-after S after the answer (default 2 s)
  --hangup-after S      BYE S seconds after the answer (default: wait for the peer's BYE)
  --hold-after S        re-INVITE putting the call on hold (c=0.0.0.0) S seconds after the answer
  --resume-after S      re-INVITE taking it off hold S seconds after the answer
  --cancel-after S      CANCEL if no final answer S seconds after the INVITE
  --answer-timeout S    give up (CANCEL) after S seconds without a final answer (default 60)
  --auth-user U --auth-pass P   credentials if the server challenges the INVITE
  --max-time S          exit after S seconds (sending BYE if connected)
  --verbose             timestamped diagnostics on stderr;  --debug N  Net::SIP debug level
EOT
GetOptions(\%o, 'to=s', 'from=s', 'port=i', 'tone=f', 'rec=s', 'dtmf=s', 'dtmf-after=f',
    'hangup-after=f', 'codec=s', 'cancel-after=f', 'answer-timeout=f', 'max-time=f',
    'hold-after=f', 'resume-after=f',
    'auth-user=s', 'auth-pass=s', 'verbose!', 'debug=i',
    'help' => sub { print $usage; exit 0 }) or do { print STDERR $usage; exit 2 };
@ARGV and do { print STDERR "unexpected arguments: @ARGV\n$usage"; exit 2 };
$o{to} && $o{port} or do { print STDERR "--to and --port are required\n$usage"; exit 2 };
$o{codec} =~ /^pcm[ua]$/ or do { print STDERR "bad --codec $o{codec}\n"; exit 2 };
set_verbose($o{verbose});
Net::SIP::Debug->level($o{debug}) if $o{debug};

my $pt = $o{codec} eq 'pcma' ? 8 : 0;
my $ua = Net::SIP::Simple->new(
    from => $o{from},
    leg  => "127.0.0.1:$o{port}",
    $o{'auth-user'} ne '' ? (auth => [ $o{'auth-user'}, $o{'auth-pass'} ]) : (),
);

my ($stop, $state, $exit) = (0, 'calling', 1);
$SIG{TERM} = $SIG{INT} = sub { $stop = 'signal' };
my @timers;
my %seen_1xx;
my $rec = $o{rec} ne '' ? make_recorder($o{rec}, 0) : undef;
my $call;

sub finish { my ($why, $code) = @_; $exit = $code; $stop ||= $why }
my $cancelled_said;
sub say_cancelled { fact('cancelled') unless $cancelled_said++ }

sub hang_up {
    return unless $state eq 'connected';
    $state = 'closing';
    fact('bye-sent');
    $call->bye(cb_final => sub { finish('bye-sent', 0) });
}

sub send_cancel {
    return unless $state eq 'calling';
    $state = 'cancelling';
    fact('cancel-sent');
    $call->cancel(cb_final => sub {
        note('CANCEL answered');
        # the 487 to the INVITE normally follows; give it a moment before leaving
        push @timers, $ua->add_timer(1, sub { return unless $state eq 'cancelling'; say_cancelled(); finish('cancelled', 1) });
    })
        or finish('cancel-failed', 1);
}

sub reinvite { my ($what, $hold) = @_; hold_reinvite($call, $what, $hold) if $state eq 'connected' }

$call = $ua->invite($o{to},
    rtp_param      => [ $pt, 160, 0.02, $pt == 8 ? 'PCMA/8000' : 'PCMU/8000' ],
    init_media     => media_init({ tone => $o{tone}, recorder => $rec }),
    dtmf_methods   => 'rfc2833',
    cb_dtmf        => sub { fact("dtmf $_[0]") },
    # Net::SIP peers retransmit their 180: report a provisional code once
    cb_preliminary => sub { my (undef, $code) = @_; fact("ringing $code") if $code > 100 && !$seen_1xx{$code}++ },
    recv_bye       => sub {
        return if $state eq 'closing' || $state eq 'done';
        $state = 'done';
        fact('bye-received');
        finish('bye-received', 0);
    },
    cb_final => sub {
        my ($status, $c, %info) = @_;
        if ($status eq 'OK') {
            if ($state eq 'cancelling') { note('answered although cancelled: hanging up') }
            return if $state eq 'connected';
            my $was_cancelling = $state eq 'cancelling';
            $state = 'connected';
            fact('answered');
            $_->cancel for @timers;
            @timers = ();
            if ($was_cancelling) { hang_up(); return }
            if ($o{dtmf} ne '') {
                push @timers, $ua->add_timer($o{'dtmf-after'}, sub {
                    return unless $state eq 'connected';
                    $call->dtmf($o{dtmf}, methods => 'rfc2833', duration => 100,
                        cb_final => sub { fact("dtmf-sent $o{dtmf}") });
                });
            }
            push @timers, $ua->add_timer($o{'hangup-after'}, \&hang_up) if $o{'hangup-after'} > 0;
            push @timers, $ua->add_timer($o{'hold-after'}, sub { reinvite('held', 1) })
                if $o{'hold-after'} > 0;
            push @timers, $ua->add_timer($o{'resume-after'}, sub { reinvite('resumed', 0) })
                if $o{'resume-after'} > 0;
            return;
        }
        my $code = $info{code} || ($info{errno} && $info{errno} == 110 ? 408 : 503);
        if ($state eq 'cancelling' && $code == 487) {
            $state = 'done';
            say_cancelled();
            finish('cancelled', 1);
            return;
        }
        $state = 'done';
        fact("failed $code");
        finish('failed', 1);
    },
) or do { fact('failed 503'); fact('exit 1'); exit 1 };

push @timers, $ua->add_timer($o{'cancel-after'}, \&send_cancel) if $o{'cancel-after'} > 0;
push @timers, $ua->add_timer($o{'answer-timeout'}, sub {
    return unless $state eq 'calling';
    note('no final answer: cancelling');
    send_cancel();
}) if $o{'answer-timeout'} > 0;
$ua->add_timer($o{'max-time'}, sub { $stop ||= 'max-time' }) if $o{'max-time'} > 0;

$ua->loop(\$stop);
note("leaving main loop: $stop (state $state)");
if ($state eq 'connected') {    # signal or max-time while connected: hang up politely
    $stop = 0;
    hang_up();
    $ua->loop(5, \$stop);
    $exit = 0;
} elsif ($state eq 'calling') {
    $stop = 0;
    send_cancel();
    $ua->loop(5, \$stop);
}
# give the stack a moment to answer retransmissions (e.g. the final 200 of our BYE)
$ua->loop(0.2);
$rec->{close}->() if $rec;
fact("exit $exit");
exit $exit;
