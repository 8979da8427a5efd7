<?php
// Generates the PHP differential corpus of cartwire-core's form codec: tests/php/corpus.jsonl.
//
//     php -d max_input_vars=100000 crates/cartwire-core/tests/php/generate.php
//
// (from the repository root; PHP 8.2's php-cli). The seed is fixed, so the same PHP writes the
// same file. Each line is one case:
//
//     {"name": "...", "rule": "...", "input": "<the wire body>",
//      "php": <parse_str's result>, "query": "<http_build_query of that result>"}
//
// where a result is written as a list of [key, value] pairs in PHP's order (keys as text,
// values as text or as a nested list), so no JSON library reorders it, and "php" is null when
// PHP's result is not UTF-8. "rule" says what cartwire must do with the case (tests/php.rs):
// "agree" means exactly what PHP does, decode and encode; every other rule names one
// deliberate difference. max_input_vars is raised so that PHP reads the wide forms whole
// (its default of 1,000 is a server setting, not part of the format).

mt_srand(20261129, MT_RAND_MT19937);

$root = dirname(__DIR__, 4);
$out = fopen(__DIR__ . '/corpus.jsonl', 'w');

function pick(array $xs) { return $xs[mt_rand(0, count($xs) - 1)]; }
function chance(int $percent): bool { return mt_rand(1, 100) <= $percent; }

/** parse_str's result as [key, value] pairs (keys as text, order kept). */
function pairs_of($value) {
    if (!is_array($value)) return (string)$value;
    $out = [];
    foreach ($value as $k => $v) $out[] = [(string)$k, pairs_of($v)];
    return $out;
}

function emit(string $name, string $rule, string $input): void {
    global $out;
    parse_str($input, $result);
    $php = pairs_of($result);
    $json_php = json_encode($php, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
    if ($json_php === false) {
        if ($rule !== 'strict_utf8') {
            fwrite(STDERR, "case $name: PHP's result is not UTF-8 but the rule is $rule\n");
            exit(1);
        }
        $php = null;
    }
    $line = json_encode([
        'name' => $name,
        'rule' => $rule,
        'input' => $input,
        'php' => $php,
        'query' => http_build_query($result),
    ], JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
    if ($line === false) {
        fwrite(STDERR, "case $name: the input is not UTF-8; percent-encode its bytes\n");
        exit(1);
    }
    fwrite($out, $line . "\n");
}

// ---------------------------------------------------------------- realistic vendor bodies
foreach (glob("$root/crates/justclick-invoice/tests/fixtures/*.txt") as $file) {
    emit('justclick/' . basename($file), 'agree', trim(file_get_contents($file)));
}
foreach (glob("$root/crates/cartfreak-notify/tests/fixtures/*.{form,query}", GLOB_BRACE) as $file) {
    emit('cartfreak/' . basename($file), 'agree', trim(file_get_contents($file)));
}
emit('cartloom/vendor-sample.form', 'agree',
    trim(file_get_contents("$root/crates/cartloom-order/tests/fixtures/vendor-sample.form")));

// ---------------------------------------------------------------- random pieces
const TEXTS = ['Иван', 'Петров', 'курсы python', 'Crème brûlée', 'a+b', 'x&y=z', '100%', '50/50',
    'user+tag@domain.com', '🙂', '~*\'()!', "line\nbreak", "tab\there", ' lead', 'trail ', '',
    '0', '1500.00', '-3', 'null', 'a.b', 'a[b]', '[]', '%', '%zz', '%5', 'ключ значение'];

/** A random value as text. */
function random_text(): string {
    if (chance(40)) return pick(TEXTS);
    $s = '';
    $n = mt_rand(0, 12);
    for ($i = 0; $i < $n; $i++) {
        $s .= chance(85) ? chr(mt_rand(0x20, 0x7e)) : pick(['é', 'ж', '€', '🙂', "\n"]);
    }
    return $s;
}

/** Text onto the wire: encoded one of PHP's two ways, or with safe characters left raw. */
function wire_text(string $text): string {
    switch (mt_rand(0, 3)) {
        case 0: return urlencode($text);
        case 1: return rawurlencode($text);
        case 2: // a space as %20 or +, the rest encoded only where it must be
            $s = '';
            foreach (str_split($text) as $c) {
                if ($c === ' ') $s .= pick(['+', '%20']);
                elseif (ctype_alnum($c) || strpos('-_.~!*\'()/:;,@$', $c) !== false) $s .= $c;
                else $s .= sprintf(pick(['%%%02X', '%%%02x']), ord($c));
            }
            return $s;
        default: // literal percent runs that are no escape, kept as they are by both
            $s = urlencode($text);
            return chance(30) ? $s . pick(['%', '%z', '%zz', '%4']) : $s;
    }
}

/** A key name: ASCII word, digits (list indexes and not), or UTF-8. */
function random_name(bool $base): string {
    $r = mt_rand(0, 9);
    if ($r < 4) {
        $s = '';
        $n = mt_rand(1, 8);
        for ($i = 0; $i < $n; $i++) $s .= pick(str_split('abcdefghijklmnopqrstuvwxyz_0123456789-'));
        return $s;
    }
    if ($r < 7) return (string)pick([0, 1, 2, 3, 7, 10, 42, 9999]);
    if ($r < 8) return pick(['07', '00', '-1', '1e3', '0x1', '+5']) ;
    if ($r < 9) return pick(['имя', 'ключ', 'größe', 'ñ']);
    // Inside brackets anything but brackets goes: spaces and dots are kept by PHP there.
    return $base ? pick(['utm_source', 'Items', 'A']) : pick(['a b', 'a.b', 'x y.z', '  ', '=', '&']);
}

/** A key name on the wire: mostly raw, sometimes with needless escapes. */
function wire_name(string $name): string {
    if (chance(70)) return rawurlencode($name);
    $s = '';
    foreach (str_split($name) as $c) $s .= chance(50) ? sprintf('%%%02X', ord($c)) : rawurlencode($c);
    return $s;
}

function open_bracket(): string { return pick(['[', '[', '%5B', '%5b']); }
function close_bracket(): string { return pick([']', ']', '%5D', '%5d']); }

/** Random leaves of a random tree: paths (lists of names) that are never a prefix of another. */
function random_paths(int $leaves, int $max_depth): array {
    $paths = [];
    $taken = [];
    while (count($paths) < $leaves) {
        $depth = mt_rand(0, $max_depth);
        $path = [random_name(true)];
        // Reuse earlier prefixes often, so maps get several children.
        if ($paths && chance(60)) {
            $other = pick($paths);
            $path = array_slice($other, 0, mt_rand(1, count($other)));
            if (count($path) === count($other)) array_pop($path);
            if (!$path) $path = [random_name(true)];
        }
        while (count($path) < $depth + 1) $path[] = random_name(false);
        $key = implode("\0", $path);
        $prefix_clash = false;
        foreach ($taken as $t => $_) {
            if (strpos($t . "\0", $key . "\0") === 0 || strpos($key . "\0", $t . "\0") === 0) {
                $prefix_clash = true;
                break;
            }
        }
        if ($prefix_clash) continue;
        $taken[$key] = true;
        $paths[] = $path;
    }
    return $paths;
}

function wire_key(array $path): string {
    $key = wire_name($path[0]);
    foreach (array_slice($path, 1) as $segment) {
        $key .= open_bracket() . wire_name($segment) . close_bracket();
    }
    return $key;
}

/** A random body of `$leaves` pairs nested at most `$max_depth` deep. */
function random_body(int $leaves, int $max_depth, bool $appends): string {
    $pairs = [];
    foreach (random_paths($leaves, $max_depth) as $path) {
        $pairs[] = wire_key($path) . '=' . wire_text(random_text());
    }
    if ($appends) {
        $list = rawurlencode(random_name(true)) . '_list';
        $n = mt_rand(1, 5);
        for ($i = 0; $i < $n; $i++) {
            $key = chance(50) ? $list . open_bracket() . close_bracket()
                : $list . open_bracket() . pick(['100', 'x', '07', '1e3']) . close_bracket();
            $pairs[] = $key . '=' . wire_text(random_text());
        }
        // Indexes and appends only: drop a repeat of an explicit index.
        $seen = [];
        $pairs = array_values(array_filter($pairs, function ($p) use (&$seen) {
            $k = urldecode(explode('=', $p, 2)[0]);
            if (substr($k, -2) === '[]') return true;
            if (isset($seen[$k])) return false;
            return $seen[$k] = true;
        }));
    }
    shuffle($pairs);
    // Empty pairs, pairs without a name, and names without a value.
    if (chance(20)) array_splice($pairs, mt_rand(0, count($pairs)), 0, pick(['', '=orphan', '=']));
    if (chance(20)) $pairs[] = rawurlencode(random_name(true)) . 'novalue';
    return implode('&', $pairs);
}

for ($i = 0; $i < 300; $i++) emit("random/$i", 'agree', random_body(mt_rand(1, 12), 3, false));
for ($i = 0; $i < 60; $i++) emit("appends/$i", 'agree', random_body(mt_rand(1, 6), 2, true));
for ($i = 0; $i < 20; $i++) emit("deep/$i", 'agree', random_body(mt_rand(1, 4), 16, false));
emit('wide', 'agree', random_body(3000, 2, false));
emit('empty', 'agree', '');
emit('only-separators', 'agree', '&&&');
emit('only-empty-names', 'agree', '=a&=b&&=');
emit('deepest-allowed', 'agree', 'a' . str_repeat('[x]', 16) . '=1');
emit('highest-index', 'agree', 'a[9998]=1&a[]=2&b[]=x');

// ---------------------------------------------------------------- deliberate differences
// Flat keys: a key not exactly `name[seg]…` is kept whole; PHP rewrites it.
$odd = ['a[b', 'a.b', 'a b', '[x]', '[x][y]', 'a[b]c', 'a[b][c', 'x[y]z[w]', ' lead', '.', 'a%00b',
    'a.b[c]', 'a b[c]', 'a[b[c]]', 'a%5Bb', 'a%5Bb%5Dc', '%20a[b]', 'a[', 'a[b]%5B'];
foreach ($odd as $i => $key) {
    emit("flat-key/$i", 'flat_key', "$key=1&other=2");
}
for ($i = 0; $i < 20; $i++) {
    emit("flat-key/random/$i", 'flat_key', pick($odd) . '=' . wire_text(random_text()) . '&' . random_body(4, 2, false));
}

// A segment of one whitespace byte is a name; PHP takes it for `[]`.
foreach (['+', '%20', '%09', '%0A', '%0B', '%0C', '%0D'] as $i => $blank) {
    emit("blank-segment/$i", 'blank_segment', "a[x]=1&a[$blank]=2&b[c][$blank]=3");
}

// A negative index is a name to us: `[]` appends after the highest index that is not
// negative (from 0); PHP 8.2 counts on from a negative first index.
foreach (['a[-2]=x&a[]=y', 'a[-3]=x&a[]=y&a[]=z', 'a[x]=1&a[-5]=x&a[]=y'] as $i => $body) {
    emit("negative-index/$i", 'negative_index', $body);
}

// Repeated keys: rejected by default; Duplicates::LastWins is PHP's behaviour.
$repeats = ['a=1&a=2', 'a[b]=1&a[b]=2', 'a=1&a[b]=2', 'a[b]=2&a=1', 'a[0]=1&a[]=2&a[0]=3',
    'x%5By%5D=1&x[y]=2', 'a[b][c]=1&a[b]=2', 'command=CREATE&command=REMOVE', 'a=1&b=2&a=3'];
foreach ($repeats as $i => $body) emit("repeated/$i", 'repeated_key', $body);
for ($i = 0; $i < 20; $i++) {
    $body = random_body(mt_rand(2, 8), 2, false);
    $pairs = explode('&', $body);
    $pairs[] = pick(array_values(array_filter($pairs, fn ($p) => $p !== '' && $p[0] !== '=' && strpos($p, '=') !== false)));
    shuffle($pairs);
    emit("repeated/random/$i", 'repeated_key', implode('&', $pairs));
}

// Limits: a bounded decoder refuses what PHP, unbounded but for its own settings, reads.
emit('limit/depth-17', 'limit_depth', 'a' . str_repeat('[x]', 17) . '=1');
emit('limit/depth-40', 'limit_depth', 'a' . str_repeat('%5Bx%5D', 40) . '=1&b=2');
emit('limit/index', 'limit_index', 'a[10000]=1');
emit('limit/index-append', 'limit_index', 'a[9999]=1&a[]=2&a[]=3');
emit('limit/index-huge', 'limit_index', 'items[99999999999999999999][id]=1');
emit('limit/pairs', 'limit_pairs', implode('&', array_map(fn ($i) => "k$i=$i", range(0, 10000))));
// (Limits::max_list_len cannot be reached under the default limits: the indexes stop at
// max_index, 9,999, so a list holds at most 10,000 elements, which is max_list_len.)

// Strict UTF-8: bytes that are not UTF-8 after decoding are refused, naming the key.
$bytes = ['%FF', '%C3', '%E2%82', '%80', '%D0%98%D0', '%ED%A0%80', '%C0%AF', '%F5%80%80%80'];
foreach ($bytes as $i => $b) {
    emit("strict-utf8/value/$i", 'strict_utf8', "ok=1&bad=x{$b}y");
    emit("strict-utf8/key/$i", 'strict_utf8', "k{$b}=1");
    emit("strict-utf8/segment/$i", 'strict_utf8', "a[k{$b}]=1");
}

fclose($out);
