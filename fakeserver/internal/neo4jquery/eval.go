package neo4jquery

// The neo4j-query flavor's statement evaluator. It is deliberately tiny: it
// runs only
//
//	RETURN <expr> [AS <name>] [, <expr> [AS <name>] ...]
//	CALL db.ping()
//	ALTER CURRENT USER SET PASSWORD FROM <expr> TO <expr>   (system database)
//
// where <expr> is a literal (integer, float, 'string' or "string", true,
// false, null, a list of those) or a parameter $name. Keywords are
// case-insensitive and a trailing semicolon is allowed. Anything else is
// answered with a clear 400 naming what the fake can run: the fake never
// pretends that a statement it did not understand succeeded.

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Status codes of statement errors.
const (
	codeArgumentError      = "Neo.ClientError.Statement.ArgumentError"
	codeSyntaxError        = "Neo.ClientError.Statement.SyntaxError"
	codeParameterMissing   = "Neo.ClientError.Statement.ParameterMissing"
	codeNotSystemDatabase  = "Neo.ClientError.Statement.NotSystemDatabaseError"
	codeCredentialsExpired = "Neo.ClientError.Security.CredentialsExpired"
)

// msgUnsupportedStatement answers every statement outside the fake's tiny
// language.
const msgUnsupportedStatement = "The authconform fake evaluates only `RETURN <literal> [AS <name>], ...` " +
	"(integers, floats, strings, booleans, null, lists and $parameters), `CALL db.ping()` and, on the " +
	"system database, `ALTER CURRENT USER SET PASSWORD FROM <old> TO <new>`; it cannot run this statement."

// statementError is a 400 answer to a statement.
type statementError struct {
	code, msg string
}

func (e *statementError) Error() string { return e.code + ": " + e.msg }

func unsupported() *statementError {
	return &statementError{code: codeArgumentError, msg: msgUnsupportedStatement}
}

type statementKind int

const (
	stmtReturn statementKind = iota
	stmtPing
	stmtAlterPassword
)

// statement is a parsed statement whose parameters are still unresolved.
type statement struct {
	kind   statementKind
	fields []string
	exprs  []expr // RETURN items, or FROM and TO of ALTER
}

// expr is a literal or a parameter reference, or a list of them.
type expr struct {
	param string // non-empty: $param
	lit   cypherValue
	list  []expr
	isLst bool
}

func (e expr) eval(params map[string]cypherValue) cypherValue {
	switch {
	case e.param != "":
		return params[e.param]
	case e.isLst:
		l := make([]cypherValue, len(e.list))
		for i, x := range e.list {
			l[i] = x.eval(params)
		}
		return listValue(l...)
	}
	return e.lit
}

func (e expr) params(into map[string]bool) {
	if e.param != "" {
		into[e.param] = true
	}
	for _, x := range e.list {
		x.params(into)
	}
}

// parseStatement parses src; it does not look at parameters.
func parseStatement(src string) (*statement, *statementError) {
	p := &stmtParser{src: src}
	p.ws()
	var st *statement
	var err *statementError
	switch {
	case p.keyword("RETURN"):
		st, err = p.returnItems()
	case p.keyword("CALL"):
		st, err = p.ping()
	case p.keyword("ALTER"):
		st, err = p.alterPassword()
	default:
		return nil, unsupported()
	}
	if err != nil {
		return nil, err
	}
	p.ws()
	if p.peek() == ';' {
		p.pos++
		p.ws()
	}
	if !p.eof() {
		return nil, unsupported()
	}
	return st, nil
}

// missingParams lists, sorted, the parameters st uses that params lacks.
func (st *statement) missingParams(params map[string]cypherValue) []string {
	used := map[string]bool{}
	for _, e := range st.exprs {
		e.params(used)
	}
	var missing []string
	for name := range used {
		if _, ok := params[name]; !ok {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	return missing
}

type stmtParser struct {
	src string
	pos int
}

func (p *stmtParser) eof() bool { return p.pos >= len(p.src) }

func (p *stmtParser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.src[p.pos]
}

// ws skips white space and // and /* */ comments.
func (p *stmtParser) ws() {
	for !p.eof() {
		r, size := utf8.DecodeRuneInString(p.src[p.pos:])
		switch {
		case unicode.IsSpace(r):
			p.pos += size
		case strings.HasPrefix(p.src[p.pos:], "//"):
			if i := strings.IndexByte(p.src[p.pos:], '\n'); i >= 0 {
				p.pos += i + 1
			} else {
				p.pos = len(p.src)
			}
		case strings.HasPrefix(p.src[p.pos:], "/*"):
			i := strings.Index(p.src[p.pos+2:], "*/")
			if i < 0 {
				return // left for the caller to reject
			}
			p.pos += i + 4
		default:
			return
		}
	}
}

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func isIdentPart(r rune) bool  { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// keyword consumes kw (any case) when it is a whole word at the cursor.
func (p *stmtParser) keyword(kw string) bool {
	end := p.pos + len(kw)
	if end > len(p.src) || !strings.EqualFold(p.src[p.pos:end], kw) {
		return false
	}
	if end < len(p.src) {
		if r, _ := utf8.DecodeRuneInString(p.src[end:]); isIdentPart(r) {
			return false
		}
	}
	p.pos = end
	return true
}

// keywords consumes a sequence of keywords separated by white space.
func (p *stmtParser) keywords(kws ...string) bool {
	for _, kw := range kws {
		p.ws()
		if !p.keyword(kw) {
			return false
		}
	}
	return true
}

// symbolicName is an identifier or a `backtick quoted` name.
func (p *stmtParser) symbolicName() (string, bool) {
	if p.peek() == '`' {
		var b strings.Builder
		for i := p.pos + 1; i < len(p.src); i++ {
			if p.src[i] != '`' {
				b.WriteByte(p.src[i])
				continue
			}
			if i+1 < len(p.src) && p.src[i+1] == '`' { // `` is an escaped backtick
				b.WriteByte('`')
				i++
				continue
			}
			p.pos = i + 1
			return b.String(), b.Len() > 0
		}
		return "", false
	}
	start := p.pos
	for !p.eof() {
		r, size := utf8.DecodeRuneInString(p.src[p.pos:])
		if p.pos == start && !isIdentStart(r) || !isIdentPart(r) {
			break
		}
		p.pos += size
	}
	return p.src[start:p.pos], p.pos > start
}

func (p *stmtParser) returnItems() (*statement, *statementError) {
	st := &statement{kind: stmtReturn}
	seen := map[string]bool{}
	for {
		p.ws()
		start := p.pos
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		name := strings.TrimSpace(p.src[start:p.pos])
		save := p.pos
		p.ws()
		if p.keyword("AS") {
			p.ws()
			var ok bool
			if name, ok = p.symbolicName(); !ok {
				return nil, unsupported()
			}
		} else {
			p.pos = save
		}
		if seen[name] {
			return nil, &statementError{code: codeSyntaxError, msg: "Multiple result columns with the same name are not supported"}
		}
		seen[name] = true
		st.fields = append(st.fields, name)
		st.exprs = append(st.exprs, e)
		p.ws()
		if p.peek() != ',' {
			return st, nil
		}
		p.pos++
	}
}

func (p *stmtParser) ping() (*statement, *statementError) {
	p.ws()
	if !strings.HasPrefix(p.src[p.pos:], "db.ping") {
		return nil, unsupported()
	}
	p.pos += len("db.ping")
	for _, c := range []byte("()") {
		p.ws()
		if p.peek() != c {
			return nil, unsupported()
		}
		p.pos++
	}
	return &statement{kind: stmtPing, fields: []string{"success"}}, nil
}

func (p *stmtParser) alterPassword() (*statement, *statementError) {
	if !p.keywords("CURRENT", "USER", "SET", "PASSWORD", "FROM") {
		return nil, unsupported()
	}
	p.ws()
	from, err := p.expr()
	if err != nil {
		return nil, err
	}
	if !p.keywords("TO") {
		return nil, unsupported()
	}
	p.ws()
	to, err := p.expr()
	if err != nil {
		return nil, err
	}
	return &statement{kind: stmtAlterPassword, exprs: []expr{from, to}}, nil
}

func (p *stmtParser) expr() (expr, *statementError) {
	c := p.peek()
	switch {
	case c == '$':
		p.pos++
		name, ok := p.symbolicName()
		if !ok {
			return expr{}, unsupported()
		}
		return expr{param: name}, nil
	case c == '[':
		p.pos++
		e := expr{isLst: true}
		p.ws()
		if p.peek() == ']' {
			p.pos++
			return e, nil
		}
		for {
			p.ws()
			item, err := p.expr()
			if err != nil {
				return expr{}, err
			}
			e.list = append(e.list, item)
			p.ws()
			switch p.peek() {
			case ',':
				p.pos++
			case ']':
				p.pos++
				return e, nil
			default:
				return expr{}, unsupported()
			}
		}
	case c == '\'' || c == '"':
		s, ok := p.stringLiteral()
		if !ok {
			return expr{}, unsupported()
		}
		return expr{lit: stringValue(s)}, nil
	case c == '-' || c == '.' || c >= '0' && c <= '9':
		return p.number()
	}
	switch {
	case p.keyword("true"):
		return expr{lit: boolValue(true)}, nil
	case p.keyword("false"):
		return expr{lit: boolValue(false)}, nil
	case p.keyword("null"):
		return expr{lit: nullValue()}, nil
	}
	return expr{}, unsupported()
}

// stringLiteral reads a quoted Cypher string with its escapes.
func (p *stmtParser) stringLiteral() (string, bool) {
	quote := p.src[p.pos]
	var b strings.Builder
	for i := p.pos + 1; i < len(p.src); i++ {
		c := p.src[i]
		switch {
		case c == quote:
			p.pos = i + 1
			return b.String(), true
		case c != '\\':
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(p.src) {
			return "", false
		}
		i++
		switch p.src[i] {
		case '\\', '\'', '"':
			b.WriteByte(p.src[i])
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'u', 'U':
			n := 4
			if p.src[i] == 'U' {
				n = 8
			}
			if i+n >= len(p.src) {
				return "", false
			}
			code, err := strconv.ParseUint(p.src[i+1:i+1+n], 16, 32)
			if err != nil || !utf8.ValidRune(rune(code)) {
				return "", false
			}
			b.WriteRune(rune(code))
			i += n
		default:
			return "", false
		}
	}
	return "", false
}

// number reads an optionally negative decimal or hexadecimal integer, or a
// float (1.5, .5, 1e3, 1.5E-3).
func (p *stmtParser) number() (expr, *statementError) {
	start := p.pos
	if p.peek() == '-' {
		p.pos++
		p.ws()
	}
	digits := func() int {
		n := 0
		for !p.eof() && p.peek() >= '0' && p.peek() <= '9' {
			p.pos++
			n++
		}
		return n
	}
	numStart := p.pos
	sign := ""
	if start != numStart {
		sign = "-"
	}
	if strings.HasPrefix(strings.ToLower(p.src[p.pos:]), "0x") {
		p.pos += 2
		hexStart := p.pos
		for !p.eof() && strings.IndexByte("0123456789abcdefABCDEF", p.peek()) >= 0 {
			p.pos++
		}
		if p.pos == hexStart || p.identFollows() {
			return expr{}, unsupported()
		}
		i, err := strconv.ParseInt(sign+p.src[hexStart:p.pos], 16, 64)
		if err != nil {
			return expr{}, &statementError{code: codeSyntaxError, msg: "integer is too large"}
		}
		return expr{lit: intValue(i)}, nil
	}
	intDigits := digits()
	isFloat := false
	if p.peek() == '.' {
		p.pos++
		if digits() == 0 {
			return expr{}, unsupported()
		}
		isFloat = true
	} else if intDigits == 0 {
		return expr{}, unsupported()
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.pos++
		if c := p.peek(); c == '+' || c == '-' {
			p.pos++
		}
		if digits() == 0 {
			return expr{}, unsupported()
		}
		isFloat = true
	}
	if p.identFollows() {
		return expr{}, unsupported()
	}
	text := sign + p.src[numStart:p.pos]
	if isFloat {
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsInf(f, 0) {
			return expr{}, &statementError{code: codeSyntaxError, msg: "floating point number is too large"}
		}
		return expr{lit: floatValue(f)}, nil
	}
	i, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return expr{}, &statementError{code: codeSyntaxError, msg: "integer is too large"}
	}
	return expr{lit: intValue(i)}, nil
}

func (p *stmtParser) identFollows() bool {
	if p.eof() {
		return false
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return isIdentPart(r)
}

// missingParamsError is Neo4j's answer to a statement that uses parameters
// the request did not send.
func missingParamsError(names []string) *statementError {
	return &statementError{code: codeParameterMissing, msg: fmt.Sprintf("Expected parameter(s): %s", strings.Join(names, ", "))}
}
