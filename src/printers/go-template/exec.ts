// Executing a parsed go-template against kubectl's decoded object, with Go 1.23 text/template
// semantics: missing map keys are "no value" (printed `<no value>`), a field of a JSON null is
// an error, pipelines pass their value as the last argument, and/or short-circuit, range over
// slices and maps (sorted keys; not integers in Go 1.23), variables scoped to their control structure. Errors
// carry Go's location and context ("output:1:7: executing "output" at <.a.b>: …").
// One algorithm (the template executor), kept whole; tests/architecture/sizes.test.ts allows its size.
import { goString } from "../go-fmt";
import { goQuote } from "../go-strconv";
import { type GoAny, type GoMap, GoNum, compareKeys } from "../go-value";
import { FUNCS, type Fn } from "./funcs";
import { FuncError, NO_VALUE, type ParamType, type Val, indirect, indirectInterface, isTrue, typeOf, val } from "./value";
import {
  type BranchNode,
  type ChainNode,
  type CommandNode,
  type FieldNode,
  GoTemplateUnsupportedError,
  type IdentifierNode,
  type Node,
  type NumberNode,
  type PipeNode,
  type VariableNode,
  nodeString,
} from "./nodes";
import type { Tree } from "./parse";

/** The pipeline's "no final argument" marker. */
const MISSING: Val = { valid: true, v: "<missing>", iface: false };

export class GoTemplateExecError extends Error {
  override name = "GoTemplateExecError";
}

class Break {}
class Continue {}

const isMapValue = (v: GoAny): v is GoMap => v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof GoNum);

/** fmt's %v of a reflect.Value (for "range can't iterate over %v"). */
const formatVal = (v: Val) => (v.valid ? goString(v.v ?? null) : "<invalid reflect.Value>");

/** UTF-8 length of a JS string prefix: Go positions count bytes. */
const byteLen = (s: string) => new TextEncoder().encode(s).length;

export interface ExecOptions {
  /** missingkey=default (true) or missingkey=error (false). */
  allowMissingKeys: boolean;
}

export class State {
  out = "";
  private node: Node | null = null;
  private vars: { name: string; value: Val }[];

  constructor(
    private readonly tree: Tree,
    data: GoAny,
    private readonly opts: ExecOptions,
  ) {
    this.vars = [{ name: "$", value: val(data) }];
  }

  run(data: GoAny) {
    this.walk(val(data), this.tree.root);
  }

  // ---- errors
  private at(n: Node) {
    this.node = n;
  }

  errorf(msg: string): never {
    const name = this.tree.name;
    if (!this.node) throw new GoTemplateExecError(`template: ${name}: ${msg}`);
    const text = this.tree.text.slice(0, this.node.pos);
    const nl = text.lastIndexOf("\n");
    const col = nl === -1 ? byteLen(text) : byteLen(text.slice(nl + 1));
    const line = 1 + text.split("\n").length - 1;
    throw new GoTemplateExecError(`template: ${name}:${line}:${col}: executing "${name}" at <${nodeString(this.node)}>: ${msg}`);
  }

  // ---- variables
  private mark() {
    return this.vars.length;
  }
  private pop(mark: number) {
    this.vars.length = mark;
  }
  private push(name: string, value: Val) {
    this.vars.push({ name, value });
  }
  private setVar(name: string, value: Val) {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i]!.name === name) {
        this.vars[i]!.value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  private setTopVar(n: number, value: Val) {
    this.vars[this.vars.length - n]!.value = value;
  }
  private varValue(name: string): Val {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    this.errorf(`undefined variable: ${name}`);
  }

  // ---- walking
  private walk(dot: Val, node: Node): void {
    this.at(node);
    switch (node.type) {
      case "action": {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, v);
        return;
      }
      case "break":
        throw new Break();
      case "continue":
        throw new Continue();
      case "if":
      case "with":
        return this.walkIfOrWith(node, dot);
      case "list":
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case "range":
        return this.walkRange(dot, node);
      case "text":
        this.out += node.text;
        return;
      default:
        this.errorf(`unknown node: ${nodeString(node)}`);
    }
  }

  private walkIfOrWith(node: BranchNode, dot: Val) {
    const mark = this.mark();
    try {
      const v = this.evalPipeline(dot, node.pipe);
      if (isTrue(indirectInterface(v))) {
        this.walk(node.type === "with" ? v : dot, node.list);
      } else if (node.elseList) {
        this.walk(dot, node.elseList);
      }
    } finally {
      this.pop(mark);
    }
  }

  private walkRange(dot: Val, r: BranchNode) {
    this.at(r);
    const outer = this.mark();
    try {
      const [v] = indirect(this.evalPipeline(dot, r.pipe));
      const mark = this.mark();
      const decl = r.pipe.decl;
      const oneIteration = (index: Val, elem: Val) => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0]!.ident[0]!, decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1]!.ident[0]!, elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (!(e instanceof Continue)) throw e;
        } finally {
          this.pop(mark);
        }
      };
      let iterated = false;
      if (v.valid && !v.iface) {
        const x = v.v;
        if (Array.isArray(x)) {
          x.forEach((e, i) => oneIteration(val(new GoNum(i, "int")), val(e ?? null, true)));
          iterated = x.length > 0;
        } else if (isMapValue(x)) {
          const keys = Object.keys(x).sort(compareKeys);
          for (const k of keys) oneIteration(val(k), val(x[k] ?? null, true));
          iterated = keys.length > 0;
        } else {
          this.errorf(`range can't iterate over ${formatVal(v)}`);
        }
      } else if (v.valid) {
        this.errorf(`range can't iterate over ${formatVal(v)}`);
      }
      if (!iterated && r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (!(e instanceof Break)) throw e;
    } finally {
      this.pop(outer);
    }
  }

  // ---- evaluation
  private evalPipeline(dot: Val, pipe: PipeNode): Val {
    this.at(pipe);
    let v = MISSING;
    for (const cmd of pipe.cmds) {
      v = this.evalCommand(dot, cmd, v);
      if (v.valid && v.iface) v = v.v === null || v.v === undefined ? NO_VALUE : val(v.v);
    }
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(d.ident[0]!, v);
      else this.push(d.ident[0]!, v);
    }
    return v;
  }

  private notAFunction(args: Node[], final: Val) {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0]!)}`);
  }

  private evalCommand(dot: Val, cmd: CommandNode, final: Val): Val {
    const first = cmd.args[0]!;
    switch (first.type) {
      case "field":
        return this.evalFieldNode(dot, first, cmd.args, final);
      case "chain":
        return this.evalChainNode(dot, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case "variable":
        return this.evalVariableNode(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return val(first.value);
      case "dot":
        return dot;
      case "nil":
        this.errorf("nil is not a command");
      case "number":
        return this.idealConstant(first);
      case "string":
        return val(first.text);
    }
    this.errorf(`can't evaluate command ${goQuote(nodeString(first))}`);
  }

  private idealConstant(n: NumberNode): Val {
    this.at(n);
    const hexInt = /^0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !hexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return val(new GoNum(n.float, "float64"));
    if (n.isInt) return val(new GoNum(n.int, "int"));
    this.errorf(`${n.text} overflows int`);
  }

  private evalFieldNode(dot: Val, field: FieldNode, args: Node[], final: Val): Val {
    this.at(field);
    return this.evalFieldChain(dot, dot, field, field.ident, args, final);
  }

  private evalChainNode(dot: Val, chain: ChainNode, args: Node[], final: Val): Val {
    this.at(chain);
    if (chain.node.type === "nil") this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, null, chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.field, args, final);
  }

  private evalVariableNode(dot: Val, v: VariableNode, args: Node[], final: Val): Val {
    this.at(v);
    const value = this.varValue(v.ident[0]!);
    if (v.ident.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  private evalFieldChain(dot: Val, receiver: Val, node: Node, ident: string[], args: Node[], final: Val): Val {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(ident[i]!, [], MISSING, receiver);
    return this.evalField(ident[n - 1]!, args, final, receiver);
  }

  private evalField(name: string, args: Node[], final: Val, receiver: Val): Val {
    if (!receiver.valid) {
      if (!this.opts.allowMissingKeys) this.errorf(`nil data; no entry for key ${goQuote(name)}`);
      return NO_VALUE;
    }
    const typ = typeOf(receiver);
    const [r, isNil] = indirect(receiver);
    if (r.valid && r.iface && isNil) this.errorf(`nil pointer evaluating ${typ}.${name}`);
    const hasArgs = args.length > 1 || final !== MISSING;
    if (r.valid && isMapValue(r.v)) {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      if (Object.hasOwn(r.v, name)) return val(r.v[name] ?? null, true);
      if (!this.opts.allowMissingKeys) this.errorf(`map has no entry for key ${goQuote(name)}`);
      return NO_VALUE;
    }
    this.errorf(`can't evaluate field ${name} in type ${typ}`);
  }

  private evalFunction(dot: Val, node: IdentifierNode, cmd: Node, args: Node[] | null, final: Val): Val {
    this.at(node);
    const fn = FUNCS[node.ident];
    if (!fn) this.errorf(`${goQuote(node.ident)} is not a defined function`);
    return this.evalCall(dot, fn, cmd, node.ident, args, final);
  }

  private evalCall(dot: Val, fn: Fn, node: Node, name: string, allArgs: Node[] | null, final: Val): Val {
    const args = allArgs ? allArgs.slice(1) : [];
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const fixed = fn.params.length;
    if (fn.variadic) {
      if (numIn < fixed) this.errorf(`wrong number of args for ${name}: want at least ${fixed} got ${args.length}`);
    } else if (numIn !== fixed) {
      this.errorf(`wrong number of args for ${name}: want ${fixed} got ${numIn}`);
    }
    if (fn.unsupported) throw new GoTemplateUnsupportedError(`the ${name} function is not supported by datumctl's go-template`);

    if (name === "and" || name === "or") {
      let v: Val = NO_VALUE;
      for (const a of args) {
        v = this.evalArg(dot, "value", a);
        if (isTrue(indirectInterface(v)) === (name === "or")) return v;
      }
      if (final !== MISSING) v = this.validateType(final, "value");
      return v;
    }

    const argv: Val[] = [];
    let i = 0;
    for (; i < fixed && i < args.length; i++) argv.push(this.evalArg(dot, fn.params[i]!, args[i]!));
    if (fn.variadic) for (; i < args.length; i++) argv.push(this.evalArg(dot, fn.variadic, args[i]!));
    if (final !== MISSING) {
      const t = fn.variadic && numIn - 1 >= fixed ? fn.variadic : fn.params[numIn - 1]!;
      argv.push(this.validateType(final, t));
    }
    try {
      return fn.call(argv);
    } catch (e) {
      if (e instanceof FuncError) {
        this.at(node);
        this.errorf(`error calling ${name}: ${e.message}`);
      }
      throw e;
    }
  }

  /** validateType: make a value fit a parameter type ("any", "value" = reflect.Value, "string"). */
  private validateType(v: Val, typ: ParamType | null): Val {
    if (!v.valid) {
      if (typ === null || typ === "value") return NO_VALUE;
      if (typ === "any") return val(null, true);
      this.errorf(`invalid value; expected ${typ}`);
    }
    if (typ === null || typ === "value" || typ === "any") return v;
    // string
    if (!v.iface && typeof v.v === "string") return v;
    let x: Val = v;
    if (v.iface && v.v !== null && v.v !== undefined) {
      if (typeof v.v === "string") return val(v.v);
      x = val(v.v);
    }
    this.errorf(`wrong type for value; expected ${typ}; got ${typeOf(x)}`);
  }

  private evalArg(dot: Val, typ: ParamType | null, n: Node): Val {
    this.at(n);
    switch (n.type) {
      case "dot":
        return this.validateType(dot, typ);
      case "nil":
        if (typ === "any" || typ === "value") return typ === "any" ? val(null, true) : NO_VALUE;
        this.errorf(`cannot assign nil to ${typ}`);
      case "field":
        return this.validateType(this.evalFieldNode(dot, n, [n], MISSING), typ);
      case "variable":
        return this.validateType(this.evalVariableNode(dot, n, [], MISSING), typ);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, n), typ);
      case "identifier":
        return this.validateType(this.evalFunction(dot, n, n, null, MISSING), typ);
      case "chain":
        return this.validateType(this.evalChainNode(dot, n, [], MISSING), typ);
    }
    if (typ === "any" || typ === "value") {
      switch (n.type) {
        case "bool":
          return val(n.value);
        case "number":
          return this.idealConstant(n);
        case "string":
          return val(n.text);
      }
      this.errorf(`can't handle assignment of ${nodeString(n)} to empty interface argument`);
    }
    if (typ === "string") {
      if (n.type === "string") return val(n.text);
      this.errorf(`expected string; found ${nodeString(n)}`);
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ}`);
  }

  private printValue(n: Node, v: Val) {
    this.at(n);
    this.out += v.valid ? goString(v.v ?? null) : "<no value>";
  }
}
