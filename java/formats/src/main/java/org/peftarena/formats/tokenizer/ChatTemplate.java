package org.peftarena.formats.tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Hugging Face chat template ({@code chat_template} of {@code tokenizer_config.json}, or
 * {@code chat_template.jinja}), rendered as {@code transformers}' {@code apply_chat_template} does
 * (Jinja with {@code trim_blocks} and {@code lstrip_blocks}) for the subset of Jinja that common
 * templates use: text, {@code {{ }}} output, {@code {# #}} comments, whitespace control with
 * {@code -}, {@code for} (with {@code loop.index}, {@code index0}, {@code first}, {@code last},
 * {@code length}), {@code if}/{@code elif}/{@code else}, {@code set}, string and list literals,
 * {@code + ~ - * / %}, comparisons, {@code in}, {@code is [not] defined|none|string}, {@code and or
 * not}, inline {@code if else}, indexing, slices and attributes, the filters {@code trim upper lower length
 * string} and the string methods {@code strip lstrip rstrip upper lower startswith endswith}, and
 * {@code raise_exception}. Anything else (macros, {@code namespace}, tools) is refused with a
 * {@link ChatTemplateException} when the template is parsed, never rendered approximately.
 */
public final class ChatTemplate {
    private final String source;
    private final List<Node> body;

    private ChatTemplate(String source, List<Node> body) {
        this.source = source;
        this.body = body;
    }

    /**
     * Parses a template.
     *
     * @throws ChatTemplateException naming the construct this renderer does not support
     */
    public static ChatTemplate parse(String source) {
        Parser p = new Parser(lex(Objects.requireNonNull(source)));
        List<Node> body = p.block(Set.of());
        return new ChatTemplate(source, body);
    }

    /** The template text. */
    public String source() {
        return source;
    }

    /**
     * Renders a conversation.
     *
     * @param messages            each with at least {@code role} and {@code content}
     * @param addGenerationPrompt whether to open the assistant's turn at the end
     * @param bosToken            the value of {@code bos_token}
     * @param eosToken            the value of {@code eos_token}
     * @throws ChatTemplateException when the template raises an exception or fails on these messages
     */
    public String render(List<Map<String, String>> messages, boolean addGenerationPrompt, String bosToken,
            String eosToken) {
        Map<String, Object> vars = new LinkedHashMap<>();
        List<Object> msgs = new ArrayList<>();
        for (Map<String, String> m : messages) {
            msgs.add(new LinkedHashMap<String, Object>(m));
        }
        vars.put("messages", msgs);
        vars.put("add_generation_prompt", addGenerationPrompt);
        vars.put("bos_token", bosToken);
        vars.put("eos_token", eosToken);
        StringBuilder out = new StringBuilder();
        run(body, new Scope(vars), out);
        return out.toString();
    }

    // ---- lexing --------------------------------------------------------------------------------

    private enum Kind { TEXT, OUTPUT, STATEMENT }

    private record Token(Kind kind, String text, int line) {
    }

    private static List<Token> lex(String s) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        boolean trimNextText = false; // a '-' closing the previous tag
        boolean trimNextNewline = false; // trim_blocks after a statement or comment
        while (i < s.length()) {
            int open = nextOpen(s, i);
            String text = s.substring(i, open < 0 ? s.length() : open);
            if (trimNextText) {
                text = text.stripLeading();
            } else if (trimNextNewline && text.startsWith("\n")) {
                text = text.substring(1);
            }
            trimNextText = false;
            trimNextNewline = false;
            if (open < 0) {
                addText(tokens, text, line(s, i));
                break;
            }
            char kind = s.charAt(open + 1);
            String close = kind == '{' ? "}}" : kind == '%' ? "%}" : "#}";
            boolean trimBefore = open + 2 < s.length() && s.charAt(open + 2) == '-';
            if (trimBefore) {
                text = text.stripTrailing();
            } else if (kind != '{') {
                text = lstripBlock(text, startsLine(s, i, open)); // lstrip_blocks
            }
            addText(tokens, text, line(s, i));
            int end = s.indexOf(close, open + 2);
            if (end < 0) {
                throw new ChatTemplateException("unclosed tag at line " + line(s, open));
            }
            int contentStart = open + (trimBefore ? 3 : 2);
            int contentEnd = end;
            if (contentEnd > contentStart && s.charAt(contentEnd - 1) == '-') {
                contentEnd--;
                trimNextText = true;
            }
            String content = s.substring(contentStart, Math.max(contentStart, contentEnd)).strip();
            if (kind == '{') {
                tokens.add(new Token(Kind.OUTPUT, content, line(s, open)));
            } else {
                if (kind == '%') {
                    tokens.add(new Token(Kind.STATEMENT, content, line(s, open)));
                }
                trimNextNewline = true;
            }
            i = end + 2;
        }
        return tokens;
    }

    private static int nextOpen(String s, int from) {
        int i = s.indexOf('{', from);
        while (i >= 0 && i + 1 < s.length()) {
            char c = s.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
            i = s.indexOf('{', i + 1);
        }
        return -1;
    }

    /** Removes spaces and tabs between the last line start and the tag. */
    private static String lstripBlock(String text, boolean startsLine) {
        int k = text.length();
        while (k > 0 && (text.charAt(k - 1) == ' ' || text.charAt(k - 1) == '\t')) {
            k--;
        }
        return (k == 0 && startsLine) || (k > 0 && text.charAt(k - 1) == '\n') ? text.substring(0, k) : text;
    }

    /** Whether only spaces and tabs stand between the tag at {@code open} and a line start (in the source). */
    private static boolean startsLine(String s, int textStart, int open) {
        int k = open;
        while (k > textStart && (s.charAt(k - 1) == ' ' || s.charAt(k - 1) == '\t')) {
            k--;
        }
        return k == 0 || s.charAt(k - 1) == '\n';
    }

    private static void addText(List<Token> tokens, String text, int line) {
        if (!text.isEmpty()) {
            tokens.add(new Token(Kind.TEXT, text, line));
        }
    }

    private static int line(String s, int pos) {
        int n = 1;
        for (int k = 0; k < pos && k < s.length(); k++) {
            if (s.charAt(k) == '\n') {
                n++;
            }
        }
        return n;
    }

    // ---- the tree --------------------------------------------------------------------------------

    private sealed interface Node permits TextNode, OutputNode, ForNode, IfNode, SetNode {
    }

    private record TextNode(String text) implements Node {
    }

    private record OutputNode(Expr expr) implements Node {
    }

    private record ForNode(String var, Expr iterable, List<Node> body, List<Node> otherwise) implements Node {
    }

    private record IfNode(List<Expr> conditions, List<List<Node>> branches, List<Node> otherwise) implements Node {
    }

    private record SetNode(String var, Expr value) implements Node {
    }

    private interface Expr {
        Object eval(Scope scope);
    }

    private static final class Parser {
        private final List<Token> tokens;
        private int pos;
        private String stopWord;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        /** Parses nodes until a statement whose first word is in {@code stops} (left as {@link #stopWord}). */
        List<Node> block(Set<String> stops) {
            List<Node> nodes = new ArrayList<>();
            while (pos < tokens.size()) {
                Token t = tokens.get(pos++);
                switch (t.kind()) {
                    case TEXT -> nodes.add(new TextNode(t.text()));
                    case OUTPUT -> nodes.add(new OutputNode(new ExprParser(t.text(), t.line()).parseAll()));
                    case STATEMENT -> {
                        ExprParser e = new ExprParser(t.text(), t.line());
                        String word = e.name();
                        if (stops.contains(word)) {
                            stopWord = word;
                            pendingStatement = e;
                            return nodes;
                        }
                        switch (word) {
                            case "for" -> nodes.add(forNode(e, t));
                            case "if" -> nodes.add(ifNode(e));
                            case "set" -> {
                                String var = e.name();
                                e.expect("=");
                                nodes.add(new SetNode(var, e.parseAll()));
                            }
                            case "generation", "endgeneration" -> {
                                // transformers' marker of assistant text; renders nothing
                            }
                            default -> throw new ChatTemplateException("unsupported template statement '" + word
                                    + "' at line " + t.line());
                        }
                    }
                }
            }
            if (!stops.isEmpty()) {
                throw new ChatTemplateException("missing {% " + String.join(" / ", new TreeSet<>(stops)) + " %}");
            }
            stopWord = null;
            return nodes;
        }

        private ExprParser pendingStatement;

        private Node forNode(ExprParser e, Token t) {
            String var = e.name();
            if (e.peekSymbol(",")) {
                throw new ChatTemplateException("unsupported for-loop over pairs at line " + t.line());
            }
            e.expectWord("in");
            Expr iterable = e.parseAll();
            List<Node> body = block(Set.of("else", "endfor"));
            List<Node> otherwise = List.of();
            if (stopWord.equals("else")) {
                otherwise = block(Set.of("endfor"));
            }
            return new ForNode(var, iterable, body, otherwise);
        }

        private Node ifNode(ExprParser e) {
            List<Expr> conditions = new ArrayList<>();
            List<List<Node>> branches = new ArrayList<>();
            conditions.add(e.parseAll());
            List<Node> otherwise = List.of();
            while (true) {
                branches.add(block(Set.of("elif", "else", "endif")));
                if (stopWord.equals("elif")) {
                    conditions.add(pendingStatement.parseAll());
                } else if (stopWord.equals("else")) {
                    otherwise = block(Set.of("endif"));
                    return new IfNode(conditions, branches, otherwise);
                } else {
                    return new IfNode(conditions, branches, otherwise);
                }
            }
        }
    }

    /** A Pratt-style parser of one tag's expression. */
    private static final class ExprParser {
        private final String s;
        private final int line;
        private int i;

        ExprParser(String s, int line) {
            this.s = s;
            this.line = line;
        }

        Expr parseAll() {
            Expr e = ternary();
            skip();
            if (i < s.length()) {
                throw error("unexpected '" + s.substring(i) + "'");
            }
            return e;
        }

        private ChatTemplateException error(String what) {
            return new ChatTemplateException("unsupported template expression at line " + line + ": " + what
                    + " in '" + s + "'");
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        boolean peekSymbol(String sym) {
            skip();
            return s.startsWith(sym, i);
        }

        private boolean symbol(String sym) {
            skip();
            if (s.startsWith(sym, i)) {
                // '=' must not be the start of '==', '<' not of '<='
                if ((sym.equals("=") || sym.equals("<") || sym.equals(">") || sym.equals("!"))
                        && i + 1 < s.length() && s.charAt(i + 1) == '=') {
                    return false;
                }
                i += sym.length();
                return true;
            }
            return false;
        }

        void expect(String sym) {
            if (!symbol(sym)) {
                throw error("expected '" + sym + "'");
            }
        }

        private boolean word(String w) {
            skip();
            int end = i + w.length();
            if (s.startsWith(w, i) && (end == s.length() || !isNameChar(s.charAt(end)))) {
                i = end;
                return true;
            }
            return false;
        }

        void expectWord(String w) {
            if (!word(w)) {
                throw error("expected '" + w + "'");
            }
        }

        String name() {
            skip();
            int start = i;
            while (i < s.length() && isNameChar(s.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw error("expected a name");
            }
            return s.substring(start, i);
        }

        private static boolean isNameChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_';
        }

        private Expr ternary() {
            Expr value = or();
            int save = i;
            if (word("if")) {
                Expr cond = or();
                Expr other = word("else") ? ternary() : sc -> "";
                return sc -> truthy(cond.eval(sc)) ? value.eval(sc) : other.eval(sc);
            }
            i = save;
            return value;
        }

        private Expr or() {
            Expr left = and();
            while (word("or")) {
                Expr l = left;
                Expr r = and();
                left = sc -> truthy(l.eval(sc)) ? l.eval(sc) : r.eval(sc);
            }
            return left;
        }

        private Expr and() {
            Expr left = not();
            while (word("and")) {
                Expr l = left;
                Expr r = not();
                left = sc -> truthy(l.eval(sc)) ? r.eval(sc) : l.eval(sc);
            }
            return left;
        }

        private Expr not() {
            if (word("not")) {
                Expr e = not();
                return sc -> !truthy(e.eval(sc));
            }
            return comparison();
        }

        private Expr comparison() {
            Expr left = concat();
            while (true) {
                Expr l = left;
                if (symbol("==")) {
                    Expr r = concat();
                    left = sc -> equal(l.eval(sc), r.eval(sc));
                } else if (symbol("!=")) {
                    Expr r = concat();
                    left = sc -> !equal(l.eval(sc), r.eval(sc));
                } else if (symbol("<=")) {
                    Expr r = concat();
                    left = sc -> compare(l.eval(sc), r.eval(sc)) <= 0;
                } else if (symbol(">=")) {
                    Expr r = concat();
                    left = sc -> compare(l.eval(sc), r.eval(sc)) >= 0;
                } else if (symbol("<")) {
                    Expr r = concat();
                    left = sc -> compare(l.eval(sc), r.eval(sc)) < 0;
                } else if (symbol(">")) {
                    Expr r = concat();
                    left = sc -> compare(l.eval(sc), r.eval(sc)) > 0;
                } else if (word("in")) {
                    Expr r = concat();
                    left = sc -> contains(r.eval(sc), l.eval(sc));
                } else if (lookingAtNotIn()) {
                    Expr r = concat();
                    left = sc -> !contains(r.eval(sc), l.eval(sc));
                } else if (word("is")) {
                    boolean negate = word("not");
                    String test = name();
                    left = sc -> negate != test(test, l.eval(sc));
                } else {
                    return left;
                }
            }
        }

        private boolean lookingAtNotIn() {
            int save = i;
            if (word("not") && word("in")) {
                return true;
            }
            i = save;
            return false;
        }

        private boolean test(String test, Object v) {
            return switch (test) {
                case "defined" -> v != UNDEFINED;
                case "undefined" -> v == UNDEFINED;
                case "none" -> v == null;
                case "string" -> v instanceof String;
                case "number" -> v instanceof Long || v instanceof Double;
                case "mapping" -> v instanceof Map;
                case "sequence", "iterable" -> v instanceof List || v instanceof String;
                case "true" -> Boolean.TRUE.equals(v);
                case "false" -> Boolean.FALSE.equals(v);
                default -> throw error("unsupported test 'is " + test + "'");
            };
        }

        private Expr concat() {
            Expr left = additive();
            while (symbol("~")) {
                Expr l = left;
                Expr r = additive();
                left = sc -> str(l.eval(sc)) + str(r.eval(sc));
            }
            return left;
        }

        private Expr additive() {
            Expr left = multiplicative();
            while (true) {
                Expr l = left;
                if (symbol("+")) {
                    Expr r = multiplicative();
                    left = sc -> plus(l.eval(sc), r.eval(sc));
                } else if (symbol("-")) {
                    Expr r = multiplicative();
                    left = sc -> arithmetic('-', l.eval(sc), r.eval(sc));
                } else {
                    return left;
                }
            }
        }

        private Expr multiplicative() {
            Expr left = unary();
            while (true) {
                Expr l = left;
                if (symbol("*")) {
                    Expr r = unary();
                    left = sc -> arithmetic('*', l.eval(sc), r.eval(sc));
                } else if (symbol("//")) {
                    Expr r = unary();
                    left = sc -> arithmetic('d', l.eval(sc), r.eval(sc));
                } else if (symbol("/")) {
                    Expr r = unary();
                    left = sc -> arithmetic('/', l.eval(sc), r.eval(sc));
                } else if (symbol("%")) {
                    Expr r = unary();
                    left = sc -> arithmetic('%', l.eval(sc), r.eval(sc));
                } else {
                    return left;
                }
            }
        }

        private Expr unary() {
            if (symbol("-")) {
                Expr e = unary();
                return sc -> arithmetic('-', 0L, e.eval(sc));
            }
            return postfix();
        }

        private Expr postfix() {
            Expr e = primary();
            while (true) {
                Expr target = e;
                if (symbol(".")) {
                    String attr = name();
                    if (peekSymbol("(")) {
                        symbol("(");
                        List<Expr> args = arguments(")");
                        e = sc -> method(target.eval(sc), attr, evalAll(args, sc));
                    } else {
                        e = sc -> index(target.eval(sc), attr);
                    }
                } else if (symbol("[")) {
                    if (peekSymbol(":") || containsSliceColon()) {
                        Expr from = peekSymbol(":") ? sc -> null : ternary();
                        expect(":");
                        Expr to = peekSymbol("]") ? sc -> null : ternary();
                        expect("]");
                        e = sc -> slice(target.eval(sc), from.eval(sc), to.eval(sc));
                    } else {
                        Expr key = ternary();
                        expect("]");
                        e = sc -> index(target.eval(sc), key.eval(sc));
                    }
                } else if (symbol("|")) {
                    String filter = name();
                    if (peekSymbol("(")) {
                        throw error("unsupported filter arguments of '" + filter + "'");
                    }
                    e = sc -> filter(filter, target.eval(sc));
                } else {
                    return e;
                }
            }
        }

        private boolean containsSliceColon() {
            int depth = 0;
            for (int k = i; k < s.length(); k++) {
                char c = s.charAt(k);
                if (c == '[' || c == '(') {
                    depth++;
                } else if (c == ']' || c == ')') {
                    if (depth == 0) {
                        return false;
                    }
                    depth--;
                } else if (c == ':' && depth == 0) {
                    return true;
                } else if (c == '\'' || c == '"') {
                    return false;
                }
            }
            return false;
        }

        private List<Expr> arguments(String close) {
            List<Expr> args = new ArrayList<>();
            if (symbol(close)) {
                return args;
            }
            do {
                args.add(ternary());
            } while (symbol(","));
            expect(close);
            return args;
        }

        private Expr primary() {
            skip();
            if (i >= s.length()) {
                throw error("expression ends early");
            }
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                String lit = stringLiteral(c);
                return sc -> lit;
            }
            if (Character.isDigit(c)) {
                int start = i;
                while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                    i++;
                }
                String num = s.substring(start, i);
                Object value = num.contains(".") ? (Object) Double.parseDouble(num) : (Object) Long.parseLong(num);
                return sc -> value;
            }
            if (symbol("(")) {
                Expr e = ternary();
                expect(")");
                return e;
            }
            if (symbol("[")) {
                List<Expr> items = arguments("]");
                return sc -> evalAll(items, sc);
            }
            String n = name();
            switch (n) {
                case "true", "True" -> {
                    return sc -> true;
                }
                case "false", "False" -> {
                    return sc -> false;
                }
                case "none", "None" -> {
                    return sc -> null;
                }
                default -> {
                }
            }
            if (peekSymbol("(")) {
                symbol("(");
                if (!n.equals("raise_exception")) {
                    throw error("unsupported function '" + n + "'");
                }
                List<Expr> args = arguments(")");
                return sc -> {
                    throw new ChatTemplateException("the chat template refused these messages: "
                            + (args.isEmpty() ? "" : str(args.get(0).eval(sc))));
                };
            }
            return sc -> sc.get(n);
        }

        private String stringLiteral(char quote) {
            StringBuilder b = new StringBuilder();
            i++;
            while (i < s.length() && s.charAt(i) != quote) {
                char c = s.charAt(i++);
                if (c == '\\' && i < s.length()) {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            if (i >= s.length()) {
                throw error("unterminated string");
            }
            i++;
            return b.toString();
        }
    }

    // ---- evaluation ------------------------------------------------------------------------------

    private static final Object UNDEFINED = new Object() {
        @Override
        public String toString() {
            return "";
        }
    };

    private static final class Scope {
        private final Map<String, Object> vars;
        private final Scope parent;

        Scope(Map<String, Object> vars) {
            this(vars, null);
        }

        Scope(Map<String, Object> vars, Scope parent) {
            this.vars = vars;
            this.parent = parent;
        }

        Object get(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.vars.containsKey(name)) {
                    return s.vars.get(name);
                }
            }
            return UNDEFINED;
        }
    }

    private static void run(List<Node> nodes, Scope scope, StringBuilder out) {
        for (Node n : nodes) {
            if (n instanceof TextNode t) {
                out.append(t.text());
            } else if (n instanceof OutputNode o) {
                out.append(str(o.expr().eval(scope)));
            } else if (n instanceof SetNode st) {
                scope.vars.put(st.var(), st.value().eval(scope));
            } else if (n instanceof IfNode f) {
                boolean done = false;
                for (int k = 0; k < f.conditions().size() && !done; k++) {
                    if (truthy(f.conditions().get(k).eval(scope))) {
                        run(f.branches().get(k), scope, out);
                        done = true;
                    }
                }
                if (!done) {
                    run(f.otherwise(), scope, out);
                }
            } else if (n instanceof ForNode f) {
                loop(f, scope, out);
            }
        }
    }

    private static void loop(ForNode f, Scope scope, StringBuilder out) {
        Object it = f.iterable().eval(scope);
        List<?> items = it instanceof List<?> l ? l
                : it instanceof String str ? str.chars().mapToObj(c -> String.valueOf((char) c)).toList()
                : it == UNDEFINED || it == null ? List.of()
                : null;
        if (items == null) {
            throw new ChatTemplateException("the chat template loops over a " + typeName(it));
        }
        if (items.isEmpty()) {
            run(f.otherwise(), scope, out);
        }
        for (int k = 0; k < items.size(); k++) {
            Map<String, Object> loop = new LinkedHashMap<>();
            loop.put("index", (long) k + 1);
            loop.put("index0", (long) k);
            loop.put("first", k == 0);
            loop.put("last", k == items.size() - 1);
            loop.put("length", (long) items.size());
            loop.put("revindex", (long) (items.size() - k));
            loop.put("revindex0", (long) (items.size() - k - 1));
            Map<String, Object> local = new LinkedHashMap<>();
            local.put(f.var(), items.get(k));
            local.put("loop", loop);
            // Jinja's set inside a loop stays in the loop
            run(f.body(), new Scope(local, scope), out);
        }
    }

    private static List<Object> evalAll(List<Expr> exprs, Scope sc) {
        List<Object> out = new ArrayList<>();
        for (Expr e : exprs) {
            out.add(e.eval(sc));
        }
        return out;
    }

    private static boolean truthy(Object v) {
        if (v == null || v == UNDEFINED) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String str) {
            return !str.isEmpty();
        }
        if (v instanceof Long l) {
            return l != 0;
        }
        if (v instanceof Double d) {
            return d != 0;
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    private static String str(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return v.toString();
    }

    private static String typeName(Object v) {
        return v == null ? "none" : v == UNDEFINED ? "undefined value" : v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static boolean equal(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a == UNDEFINED || b == UNDEFINED) {
            return a == b;
        }
        return Objects.equals(a, b);
    }

    private static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        throw new ChatTemplateException("the chat template compares a " + typeName(a) + " with a " + typeName(b));
    }

    private static boolean contains(Object container, Object item) {
        if (container instanceof String str) {
            return item instanceof String sub && str.contains(sub);
        }
        if (container instanceof List<?> l) {
            return l.stream().anyMatch(x -> equal(x, item));
        }
        if (container instanceof Map<?, ?> m) {
            return m.containsKey(item);
        }
        return false;
    }

    private static Object plus(Object a, Object b) {
        if (a instanceof String || b instanceof String) {
            if (a instanceof String x && b instanceof String y) {
                return x + y;
            }
            throw new ChatTemplateException("the chat template adds a " + typeName(a) + " and a " + typeName(b));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            List<Object> out = new ArrayList<>(x);
            out.addAll(y);
            return out;
        }
        return arithmetic('+', a, b);
    }

    private static Object arithmetic(char op, Object a, Object b) {
        if (!(a instanceof Number x) || !(b instanceof Number y)) {
            throw new ChatTemplateException("the chat template computes with a " + typeName(a) + " and a " + typeName(b));
        }
        if (a instanceof Long p && b instanceof Long q && op != '/') {
            if ((op == '%' || op == 'd') && q == 0) {
                throw new ChatTemplateException("the chat template divides by zero");
            }
            return switch (op) {
                case '+' -> p + q;
                case '-' -> p - q;
                case '*' -> p * q;
                case 'd' -> Math.floorDiv(p, q);
                default -> Math.floorMod(p, q);
            };
        }
        double p = x.doubleValue();
        double q = y.doubleValue();
        return switch (op) {
            case '+' -> p + q;
            case '-' -> p - q;
            case '*' -> p * q;
            case '/' -> p / q;
            case 'd' -> Math.floor(p / q);
            default -> p - q * Math.floor(p / q);
        };
    }

    private static Object index(Object target, Object key) {
        if (target instanceof Map<?, ?> m) {
            return m.containsKey(key) ? m.get(key) : UNDEFINED;
        }
        if (target instanceof List<?> l && key instanceof Long k) {
            long at = k < 0 ? l.size() + k : k;
            return at >= 0 && at < l.size() ? l.get((int) at) : UNDEFINED;
        }
        if (target instanceof String str && key instanceof Long k) {
            long at = k < 0 ? str.length() + k : k;
            return at >= 0 && at < str.length() ? String.valueOf(str.charAt((int) at)) : UNDEFINED;
        }
        return UNDEFINED;
    }

    private static Object slice(Object target, Object from, Object to) {
        int size = target instanceof List<?> l ? l.size() : target instanceof String str ? str.length() : -1;
        if (size < 0 || (from != null && !(from instanceof Long)) || (to != null && !(to instanceof Long))) {
            throw new ChatTemplateException("the chat template slices a " + typeName(target));
        }
        int a = clampIndex(from == null ? 0 : (Long) from, size);
        int b = Math.max(a, clampIndex(to == null ? size : (Long) to, size));
        return target instanceof List<?> l ? (Object) new ArrayList<Object>(l.subList(a, b))
                : (Object) ((String) target).substring(a, b);
    }

    private static int clampIndex(long k, int size) {
        long at = k < 0 ? size + k : k;
        return (int) Math.max(0, Math.min(size, at));
    }

    private static Object filter(String name, Object v) {
        return switch (name) {
            case "trim" -> str(v).strip();
            case "upper" -> str(v).toUpperCase(Locale.ROOT);
            case "lower" -> str(v).toLowerCase(Locale.ROOT);
            case "string" -> str(v);
            case "length", "count" -> v instanceof List<?> l ? (Object) (long) l.size()
                    : v instanceof Map<?, ?> m ? (Object) (long) m.size() : (Object) (long) str(v).length();
            default -> throw new ChatTemplateException("unsupported template filter '" + name + "'");
        };
    }

    private static Object method(Object target, String name, List<Object> args) {
        if (!(target instanceof String str)) {
            throw new ChatTemplateException("unsupported template method '" + name + "' on a " + typeName(target));
        }
        return switch (name) {
            case "strip" -> str.strip();
            case "lstrip" -> str.stripLeading();
            case "rstrip" -> str.stripTrailing();
            case "upper" -> str.toUpperCase(Locale.ROOT);
            case "lower" -> str.toLowerCase(Locale.ROOT);
            case "startswith" -> !args.isEmpty() && str.startsWith(str(args.get(0)));
            case "endswith" -> !args.isEmpty() && str.endsWith(str(args.get(0)));
            default -> throw new ChatTemplateException("unsupported template method '" + name + "'");
        };
    }
}
