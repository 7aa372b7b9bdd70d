#!/usr/bin/perl
# Agent phone on Perl Net::SIP (libnet-sip-perl 0.835): REGISTERs with digest, then handles
# incoming INVITEs one after another (answer / reject / ring forever), sends a sine as G.711 RTP
# once answered, records what it hears, sends and logs RFC 4733 DTMF, and can hang up itself.
#
# Facts, one per line on stdout (flushed), in this order for an answered call:
#   registered | register-failed CODE            (CODE 408 = no answer, 503 = transport error)
#   incoming CALLID FROM_URI
#   caller-id DISPLAY                               (From's display name, or -)
#   ringing                                         (180 sent; not for reject modes)
#   answered                                        (200 OK with SDP sent)
#   established                                     (ACK received; media starts here)
#   dtmf D                                          (one per RFC 4733 digit received)
#   dtmf-sent DIGITS
#   bye-received | bye-sent | cancelled | rejected CODE
#                                                   (rejected 486/603 by --mode, 488 when the offer
#                                                    has neither PCMU nor PCMA, 480 when the agent
#                                                    exits while ringing)
#   reinvite                                        (re-INVITE in the call, answered 200)
#   held DIR | resumed DIR                          (--hold-after / --resume-after: our re-INVITE
#                                                    was answered; DIR = the answer's direction)
#   call-ended N REASON                             (N = calls ended so far; REASON one of
#                                                    bye-received, bye-sent, cancelled, rejected)
#   unregistered | unregister-failed CODE           (with --unregister-at-exit)
#   exit
# Run with --help for the options.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use Getopt::Long qw(GetOptions);
use Net::SIP;
use Net::SIP::Debug;
use NsipPeer qw(fact note set_verbose uri_of rec_path make_recorder media_init choose_codec build_answer_sdp
    hold_reinvite);

my %o = (
    registrar => '127.0.0.1:5060', user => 'agent1', pass => '', port => 0, expires => 600,
    mode => 'answer', 'answer-after' => 0, tone => 600, rec => '', dtmf => '', 'dtmf-after' => 1,
    'hangup-after' => 0, calls => 0, 'unregister-at-exit' => 0, domain => '', verbose => 0, debug => 0,
    'ring' => 1, 'max-time' => 0, codec => '', 'hold-after' => 0, 'resume-after' => 0,
);
my $usage = <<"EOT";
usage: nsip_agent.pl --registrar HOST:PORT --user U --pass P --port LOCALPORT [options]
  --expires S           REGISTER expiry (default 600); refreshed at 80 % of the granted time
  --domain D            domain of the AoR and From (default: the registrar host)
  --mode M              answer | reject486 | reject603 | ignore   (default answer)
                        ignore: 180 Ringing, then never answers (CANCEL -> 200 + 487)
  --answer-after S      seconds between 180 and 200 (default 0)
  --no-ring             do not send 180 before answering/ignoring
  --tone HZ             sine sent as RTP once answered (default 600; 0 = silence)
  --codec pcmu|pcma     preferred codec if the offer has both (default: the offer's order)
  --rec FILE            what the agent hears, decoded to s16le mono 8 kHz, wall-clock aligned
                        from the ACK; "%n" in FILE = call number, else calls are appended
  --dtmf DIGITS         RFC 4733 digits to send --dtmf-after S after the ACK (default 1 s)
  --hangup-after S      send BYE S seconds after the ACK (default: never)
  --hold-after S        re-INVITE putting the call on hold (c=0.0.0.0) S seconds after the ACK
  --resume-after S      re-INVITE taking it off hold S seconds after the ACK
  --calls N             exit after N calls ended (default: unlimited)
  --unregister-at-exit  REGISTER with expires 0 before exiting (also on SIGTERM/SIGINT)
  --max-time S          exit after S seconds whatever happens (default: never)
  --verbose             timestamped diagnostics on stderr;  --debug N  Net::SIP debug level
EOT
GetOptions(\%o, 'registrar=s', 'user=s', 'pass=s', 'port=i', 'expires=i', 'domain=s', 'mode=s',
    'answer-after=f', 'ring!', 'tone=f', 'codec=s', 'rec=s', 'dtmf=s', 'dtmf-after=f', 'hangup-after=f',
    'calls=i', 'unregister-at-exit!', 'max-time=f', 'verbose!', 'debug=i', 'hold-after=f',
    'resume-after=f',
    'help' => sub { print $usage; exit 0 }) or die $usage;
@ARGV and die "unexpected arguments: @ARGV\n$usage";
$o{mode} =~ /^(answer|reject486|reject603|ignore)$/ or die "bad --mode $o{mode}\n";
$o{codec} eq '' || $o{codec} =~ /^pcm[ua]$/ or die "bad --codec $o{codec}\n";
$o{port} or die "--port is required\n";
set_verbose($o{verbose});
Net::SIP::Debug->level($o{debug}) if $o{debug};

my ($reg_host) = $o{registrar} =~ /^\[?([^\]]+?)\]?(?::\d+)?$/;
my $domain = $o{domain} || $reg_host;
my $prefer = $o{codec} eq 'pcma' ? 8 : $o{codec} eq 'pcmu' ? 0 : undef;

my $ua = Net::SIP::Simple->new(
    from      => "<sip:$o{user}\@$domain>",
    leg       => "127.0.0.1:$o{port}",
    registrar => $o{registrar},
    auth      => [ $o{user}, $o{pass} ],
);

my $stop = 0;
$SIG{TERM} = $SIG{INT} = sub { $stop = 'signal' };
$ua->add_timer($o{'max-time'}, sub { $stop = 'max-time' }) if $o{'max-time'} > 0;

# ---------------------------------------------------------------- registration
sub reg_result {
    my ($status, %info) = @_;
    return ($status, $info{expires}) if $status eq 'OK';
    my $code = $info{code} || ($info{errno} && $info{errno} == 110 ? 408 : 503);
    return ($status, $code);
}

sub do_register {
    my ($expires, $cb) = @_;
    $ua->register(expires => $expires, cb_final => sub { $cb->(reg_result(@_)) });
}

my $registered = 0;
my $refresh_timer;
sub schedule_refresh {
    my $granted = shift;
    $granted = $o{expires} unless defined $granted && $granted =~ /^\d+$/ && $granted > 0;
    $refresh_timer->cancel if $refresh_timer;
    $refresh_timer = $ua->add_timer(0.8 * $granted, sub {
        do_register($o{expires}, sub {
            my ($st, $v) = @_;
            if ($st eq 'OK') { note("registration refreshed, expires $v"); schedule_refresh($v) }
            else { fact("register-failed $v") }
        });
    });
}

{
    my $done;
    do_register($o{expires}, sub { $done = [@_] });
    $ua->loop(40, \$done, \$stop);
    if (!$done) { fact('register-failed 408'); fact('exit'); exit 1 }
    my ($st, $v) = @$done;
    if ($st ne 'OK') { fact("register-failed $v"); fact('exit'); exit 1 }
    $registered = 1;
    note('registrar granted expires ' . ($v // '?'));
    fact('registered');
    schedule_refresh($v) if $o{expires} > 0;
}

# ---------------------------------------------------------------- calls
my $n_calls = 0;     # calls seen
my $n_ended = 0;     # calls ended
my %active;          # call-id -> state

sub end_call {
    my ($st, $reason) = @_;
    return if $st->{ended}++;
    $_->cancel for grep { defined } @{ $st->{timers} };
    $st->{recorder}{close}->() if $st->{recorder};
    delete $active{ $st->{callid} };
    $n_ended++;
    fact("call-ended $n_ended $reason");
    $stop = 'calls' if $o{calls} && $n_ended >= $o{calls};
}

sub respond {
    my ($st, $code, $text) = @_;
    my ($ep, $ctx, undef, undef, $req, $leg, $from) = @{ $st->{invite} };
    $ep->new_response($ctx, $req->create_response($code, $text), $leg, $from);
}

sub answer {
    my $st = shift;
    return if $st->{ended} || $st->{state} ne 'ringing';
    my $call = $st->{call};
    my ($ep, $ctx, $err, $code, $req, $leg, $from) = @{ $st->{invite} };
    my $offer = eval { $req->sdp_body };
    if ($offer) {
        my ($codec, $te) = choose_codec($offer, $prefer);
        if (!defined $codec) {
            respond($st, 488, 'Not Acceptable Here');
            fact('rejected 488');
            $st->{state} = 'rejected';
            push @{ $st->{timers} }, $ua->add_timer(10, sub { $call->cleanup; end_call($st, 'rejected') });
            return;
        }
        my ($sdp, $lsocks) = build_answer_sdp($leg->laddr(0), $codec, $te);
        $call->set_param(sdp => $sdp, media_lsocks => $lsocks,
            rtp_param => [ $codec, 160, 0.02, $codec == 8 ? 'PCMA/8000' : 'PCMU/8000' ]);
    }
    # Net::SIP::Simple::Call::receive sends 200 OK with our SDP and takes the peer's SDP
    $call->receive(@{ $st->{invite} });
    $st->{state} = 'answered';
    fact('answered');
}

sub on_established {
    my $st = shift;
    my $call = $st->{call};
    if ($o{dtmf} ne '') {
        push @{ $st->{timers} }, $ua->add_timer($o{'dtmf-after'}, sub {
            return if $st->{ended};
            eval {
                $call->dtmf($o{dtmf}, methods => 'rfc2833', duration => 100,
                    cb_final => sub { fact("dtmf-sent $o{dtmf}") unless $st->{ended} });
                1;
            } or fact("dtmf-failed $@");
        });
    }
    for ([ 'hold-after', 'held', 1 ], [ 'resume-after', 'resumed', 0 ]) {
        my ($opt, $what, $hold) = @$_;
        next unless $o{$opt} > 0;
        push @{ $st->{timers} }, $ua->add_timer($o{$opt}, sub {
            hold_reinvite($call, $what, $hold) unless $st->{ended};
        });
    }
    if ($o{'hangup-after'} > 0) {
        push @{ $st->{timers} }, $ua->add_timer($o{'hangup-after'}, sub {
            return if $st->{ended};
            $st->{state} = 'closing';
            fact('bye-sent');
            $call->bye(cb_final => sub { note('BYE answered'); end_call($st, 'bye-sent') });
            # if the BYE is never answered, Net::SIP's transaction timeout still calls cb_final
        });
    }
}

# Every request of the dialog goes through here before Net::SIP::Simple::Call::receive.
sub on_request {
    my ($st, $call, $ep, $ctx, $err, $code, $pkt, $leg, $from) = @_;
    my @rest = ($ep, $ctx, $err, $code, $pkt, $leg, $from);
    return $call->receive(@rest) unless $pkt && $pkt->is_request;
    my $m = $pkt->method;
    note("$st->{callid}: $m in state $st->{state}");
    if ($m eq 'INVITE' && $st->{state} eq 'new') {
        $st->{invite} = [@rest];
        fact('incoming', $st->{callid}, uri_of(scalar $pkt->get_header('from')));
        my ($display) = (scalar($pkt->get_header('from')) // '') =~ /^\s*"([^"]*)"/;
        fact('caller-id', $display // '-');
        if ($o{mode} =~ /^reject(\d+)$/) {
            my $c = $1;
            respond($st, $c, $c == 486 ? 'Busy Here' : 'Decline');
            $st->{state} = 'rejected';
            fact("rejected $c");
            # finished when the ACK arrives, or after 10 s without one
            push @{ $st->{timers} }, $ua->add_timer(10, sub { $call->cleanup; end_call($st, 'rejected') });
            return;
        }
        $st->{state} = 'ringing';
        if ($o{ring}) { respond($st, 180, 'Ringing'); fact('ringing') }
        return if $o{mode} eq 'ignore';
        if ($o{'answer-after'} > 0) {
            push @{ $st->{timers} }, $ua->add_timer($o{'answer-after'}, sub { answer($st) });
        } else {
            answer($st);
        }
        return;
    }
    if ($m eq 'INVITE') {    # re-INVITE inside the dialog: Net::SIP answers 200 with our SDP
        fact('reinvite');
        return $call->receive(@rest);
    }
    if ($m eq 'ACK') {
        if ($st->{state} eq 'rejected') { $call->cleanup; end_call($st, 'rejected'); return }
        if ($st->{state} eq 'answered') {
            $st->{state} = 'established';
            fact('established');
            $call->receive(@rest);    # starts media
            on_established($st);
            return;
        }
        return $call->receive(@rest);
    }
    if ($m eq 'CANCEL') {    # Net::SIP already answered 200 to the CANCEL and will send 487
        fact('cancelled');
        $call->receive(@rest);
        end_call($st, 'cancelled');
        return;
    }
    if ($m eq 'BYE') {       # Net::SIP already answered 200; its recv_bye reports it
        $call->receive(@rest);
        return;
    }
    return $call->receive(@rest);
}

$ua->listen(
    dtmf_methods => 'rfc2833',
    cb_dtmf      => sub { fact("dtmf $_[0]") },
    cb_create    => sub {
        my ($call, $request, $leg, $from) = @_;
        my $callid = $request->get_header('call-id');
        $n_calls++;
        my $st = { callid => $callid, call => $call, state => 'new', n => $n_calls, timers => [] };
        $active{$callid} = $st;
        my $path = rec_path($o{rec}, $n_calls);
        $st->{recorder} = make_recorder($path, $o{rec} !~ /%n/ && $n_calls > 1) if defined $path;
        $call->set_param(
            init_media => media_init({ tone => $o{tone}, recorder => $st->{recorder} }),
            # also after our own re-INVITE, whose dialog callback bypasses on_request
            recv_bye   => sub { return if $st->{ended}; fact('bye-received'); end_call($st, 'bye-received') },
            rtp_param  => [ 0, 160, 0.02, 'PCMU/8000' ],
        );
        return sub { on_request($st, @_) };
    },
);

$ua->loop(\$stop);
note("leaving main loop: $stop");

# hang up what is still going on, then unregister
for my $st (values %active) {
    if ($st->{state} eq 'established' || $st->{state} eq 'answered') {
        my $done;
        $st->{call}->bye(cb_final => \$done);
        fact('bye-sent');
        $ua->loop(3, \$done);
        end_call($st, 'bye-sent');
    } elsif ($st->{state} eq 'ringing') {
        respond($st, 480, 'Temporarily Unavailable');
        fact('rejected 480');
        end_call($st, 'rejected');
    }
}
if ($o{'unregister-at-exit'} && $registered) {
    $refresh_timer->cancel if $refresh_timer;
    my $done;
    do_register(0, sub { $done = [@_] });
    $ua->loop(10, \$done);
    if ($done && $done->[0] eq 'OK') { fact('unregistered') }
    else { fact('unregister-failed ' . ($done ? $done->[1] : 408)) }
}
fact('exit');
exit 0;
