# dovecot.sh — sourced by the inbox end-to-end scripts (not run on its own): Debian's dovecot
# (dovecot-imapd) as the calling user on 127.0.0.1, a free port, a passwd-file user `lcm` with a
# Maildir in $tmp/mail. Plain IMAP on a loopback port (STARTTLS offered with a self-signed
# certificate when $tmp/cert.pem and $tmp/key.pem exist). The caller defines `tmp` and
# `fail MESSAGE`, then calls dovecot_setup and dovecot_start; its EXIT trap calls dovecot_stop.
DOVECOT=${DOVECOT:-/usr/sbin/dovecot}
dovecot_pid=""

# Writes the config (sets imap_port); the password is "s3cr3t pw".
dovecot_setup() {
    [ -x "$DOVECOT" ] || fail "Debian's dovecot-imapd is required (apt-get install dovecot-imapd)"
    imap_port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # Never as root (dovecot refuses it, and the test needs none of it): as root, the server
    # runs as nobody, owning its directories.
    dovecot_runas=""
    me=$(id -un)
    grp=$(id -gn)
    if [ "$(id -u)" = 0 ]; then
        me=nobody
        grp=$(id -gn nobody)
        dovecot_runas="setpriv --reuid=nobody --regid=$grp --clear-groups"
    fi
    mkdir -p "$tmp/dovecot/run" "$tmp/dovecot/state" "$tmp/mail"
    printf 'lcm:{PLAIN}s3cr3t pw:%s:%s::%s/mail::\n' "$(id -u "$me")" "$(id -g "$me")" "$tmp" >"$tmp/dovecot/users"
    ssl="ssl = no"
    if [ -f "$tmp/cert.pem" ]; then
        ssl="ssl = yes
ssl_cert = <$tmp/cert.pem
ssl_key = <$tmp/key.pem"
    fi
    cat >"$tmp/dovecot/dovecot.conf" <<EOC
protocols = imap
listen = 127.0.0.1
base_dir = $tmp/dovecot/run
state_dir = $tmp/dovecot/state
default_internal_user = $me
default_internal_group = $grp
default_login_user = $me
log_path = $tmp/dovecot/dovecot.log
info_log_path = $tmp/dovecot/dovecot.log
disable_plaintext_auth = no
auth_mechanisms = plain login
$ssl
mail_location = maildir:$tmp/mail/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $tmp/dovecot/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $tmp/dovecot/users
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $imap_port
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
EOC
    if [ -n "$dovecot_runas" ]; then
        chmod 711 "$tmp"
        chown -R "$me:$grp" "$tmp/dovecot" "$tmp/mail"
        [ -f "$tmp/key.pem" ] && chmod 644 "$tmp/key.pem" "$tmp/cert.pem"
    fi
}

# Starts the server and waits until it listens (a bounded poll, about 10 s).
dovecot_start() {
    $dovecot_runas "$DOVECOT" -F -c "$tmp/dovecot/dovecot.conf" >>"$tmp/dovecot/stdout.log" 2>&1 &
    dovecot_pid=$!
    i=0
    until /usr/bin/python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $imap_port)))" 2>/dev/null; do
        i=$((i + 1))
        [ $i -le 200 ] || { tail -5 "$tmp/dovecot/dovecot.log" >&2; fail "dovecot did not listen on port $imap_port"; }
        kill -0 "$dovecot_pid" 2>/dev/null || { tail -5 "$tmp/dovecot/dovecot.log" "$tmp/dovecot/stdout.log" >&2; fail "dovecot exited"; }
        sleep 0.05
    done
}

dovecot_stop() {
    if [ -n "$dovecot_pid" ]; then
        kill "$dovecot_pid" 2>/dev/null
        wait "$dovecot_pid" 2>/dev/null
        dovecot_pid=""
    fi
}

# Appends file $1 to folder INBOX through IMAP (curl's APPEND: the server assigns the UID).
dovecot_append() {
    curl -s -S --url "imap://127.0.0.1:$imap_port/INBOX" -u 'lcm:s3cr3t pw' -T "$1" ||
        fail "cannot append $1"
}
