/// Checks the names a scenario reads: each must be bound before it is read
/// (in main, in order, as Python would run it), a task's parameter or local,
/// or — from a task, read when the task runs — a variable of main.
struct ScopeChecker {
    let reader: NodeReader

    func check(_ scenario: Scenario) {
        let globals = Self.bound(by: scenario.main)
        var scope = Set<String>()
        check(scenario.main, scope: &scope, globals: [], where: "main")
        for task in scenario.tasks.values {
            var local = Set(task.params)
            if let label = task.label {
                for name in label.names where !local.contains(name) {
                    reader.error(task.location, "task '\(task.name)': its label reads '\(name)', which is not a parameter")
                }
            }
            check(task.steps, scope: &local, globals: globals, where: "task '\(task.name)'")
        }
    }

    /// Object operands that are variables naming an object (`$name`).
    static func variables(_ operands: [String]) -> [String] {
        operands.filter { $0.hasPrefix("$") }.map { String($0.dropFirst()) }
    }

    /// Every name a list of steps binds, at any depth.
    static func bound(by steps: [Step]) -> Set<String> {
        var names = Set<String>()
        for step in steps {
            switch step.action {
            case .set(let name, _, _): names.insert(name)
            case .map(_, _, _, _, let name?, let body):
                names.insert(name)
                names.formUnion(bound(by: body ?? []))
            case .hash(_, _, _, let name?), .writeLogs(_, _, _, let name), .findRobots(_, let name),
                 .startThread(_, _, _, let name?), .acquire(_, _, let name?), .eventWait(_, _, let name?),
                 .conditionWait(_, _, let name?), .get(_, _, _, let name), .localGet(_, let name),
                 .select(_, _, let name), .receive(_, let name), .now(let name), .send(_, _, _, let name?), .actorSubmit(_, _, _, _, let name?):
                names.insert(name)
            case .subscribe(_, _, let body):
                names.formUnion(bound(by: body))
            case .httpGet(_, _, _, _, _, let name, let errorName):
                names.formUnion([name, errorName].compactMap { $0 })
            case .echoLoad(_, _, _, _, _, let name):
                names.formUnion(Action.echoLoadNames(name))
            case .with(_, let body), .ordered(_, let body), .whileLoop(_, let body):
                names.formUnion(bound(by: body))
            case .ifThen(_, let then, let otherwise):
                names.formUnion(bound(by: then + otherwise))
            case .submit(_, _, _, _, let name?), .call(_, _, let name?), .result(_, _, let name?),
                 .exception(_, _, let name?), .cancel(_, let name?):
                names.insert(name)
            case .asCompleted(_, _, let each, let body):
                names.insert(each)
                names.formUnion(bound(by: body))
            case .wait(_, _, _, let done, let notDone):
                if let done { names.insert(done) }
                if let notDone { names.insert(notDone) }
            case .forEach(let name, _, let body):
                names.insert(name)
                names.formUnion(bound(by: body))
            case .measure(let name, let body):
                names.insert(name)
                names.formUnion(bound(by: body))
            case .record(let name, _):
                names.insert(name)
            case .attempt(let body, let handlers):
                names.formUnion(bound(by: body))
                for handler in handlers { names.insert("error"); names.formUnion(bound(by: handler.body)) }
            default: break
            }
        }
        return names
    }

    private func check(_ steps: [Step], scope: inout Set<String>, globals: Set<String>, where place: String) {
        let laterInMain = globals.isEmpty ? Self.bound(by: steps) : []
        for step in steps {
            func reads(_ names: [String]) {
                for name in Set(names).sorted() where !scope.contains(name) && !globals.contains(name) {
                    if laterInMain.contains(name) {
                        reader.error(step.location, "\(place): '\(name)' is used before it exists (it is bound by a later step)")
                    } else {
                        reader.error(step.location, "\(place): '\(name)' is not defined")
                    }
                }
            }
            func names(_ expression: Expression?) -> [String] { expression?.names ?? [] }
            switch step.action {
            case .log(let template): reads(template.names)
            case .note: break
            case .sleep(let e), .busy(let e), .returnValue(let e): reads(e.names)
            case .startThread(_, let arguments, let label, let name):
                reads(arguments.flatMap(\.names) + (label?.names ?? []))
                if let name { scope.insert(name) }
            case .join(let threads): reads(threads.names)
            case .cooperative(let tasks): reads(tasks.flatMap { $0.arguments.flatMap(\.names) })
            case .yieldTurn: break
            case .whileLoop(let condition, let body):
                reads(condition.names)
                check(body, scope: &scope, globals: globals, where: place)
            case .ifThen(let condition, let then, let otherwise):
                reads(condition.names)
                var other = scope
                check(then, scope: &scope, globals: globals, where: place)
                check(otherwise, scope: &other, globals: globals, where: place)
                scope.formUnion(other)
            case .acquire(let object, let timeout, let name), .eventWait(let object, let timeout, let name), .conditionWait(let object, let timeout, let name):
                reads(names(timeout) + Self.variables([object]))
                if let name { scope.insert(name) }
            case .release(let object), .eventSet(let object), .eventClear(let object), .taskDone(let object), .joinQueue(let object):
                reads(Self.variables([object]))
            case .with(let object, let body):
                reads(Self.variables([object]))
                check(body, scope: &scope, globals: globals, where: place)
            case .ordered(let objects, let body):
                reads(Self.variables(objects))
                check(body, scope: &scope, globals: globals, where: place)
            case .notify(let object, let count, _): reads(names(count) + Self.variables([object]))
            case .put(let object, let item, _, let timeout): reads(item.names + names(timeout) + Self.variables([object]))
            case .get(let object, _, let timeout, let name):
                reads(names(timeout) + Self.variables([object]))
                scope.insert(name)
            case .select(let objects, let timeout, let name):
                reads(names(timeout) + Self.variables(objects))
                scope.insert(name)
            case .send(let object, let actor, let message, let name):
                reads(names(actor) + message.names + Self.variables([object]))
                if let name { scope.insert(name) }
            case .now(let name):
                scope.insert(name)
            case .httpGet(let server, let path, let timeout, let saveAs, let directory, let name, let errorName):
                reads(path.names + (saveAs?.names ?? []) + names(timeout) + names(directory) + Self.variables([server]))
                scope.formUnion([name, errorName].compactMap { $0 })
            case .echoLoad(let server, let clients, let messages, let size, let pause, let name):
                reads(clients.names + messages.names + size.names + names(pause) + Self.variables([server]))
                scope.formUnion(Action.echoLoadNames(name))
            case .receive(let timeout, let name):
                reads(names(timeout))
                scope.insert(name)
            case .startActor(let object), .close(let object), .joinActor(let object), .runActors(let object):
                reads(Self.variables([object]))
            case .actorSubmit(let actor, _, let arguments, let label, let name):
                reads(arguments.flatMap(\.names) + (label?.names ?? []) + Self.variables([actor]))
                if let name { scope.insert(name) }
            case .attach(let exchange, let subscriber), .detach(let exchange, let subscriber):
                reads(Self.variables([exchange, subscriber]))
            case .subscribe(let exchange, let subscribers, let body):
                reads(Self.variables([exchange] + subscribers))
                check(body, scope: &scope, globals: globals, where: place)
            case .newActor(let scheduler, let actorName, _, let arguments):
                reads(actorName.names + arguments.flatMap(\.names) + Self.variables([scheduler]))
            case .localSet(_, let value): reads(value.names)
            case .localGet(_, let name): scope.insert(name)
            case .writeLogs(let directory, let files, let lines, let name):
                reads(names(directory) + files.names + lines.names)
                scope.insert(name)
            case .findRobots(let file, let name):
                reads(file.names)
                scope.insert(name)
            case .hash(_, let bytes, let rounds, let name):
                reads(bytes.names + names(rounds))
                if let name { scope.insert(name) }
            case .raise(_, let message): reads(message.names)
            case .set(let name, let value, _): reads(value.names); scope.insert(name)
            case .submit(_, _, let arguments, let label, let name):
                reads(arguments.flatMap(\.names) + (label?.names ?? []))
                if let name { scope.insert(name) }
            case .call(_, let arguments, let name):
                reads(arguments.flatMap(\.names))
                if let name { scope.insert(name) }
            case .map(_, _, let items, let timeout, let name, let body):
                reads(items.names + names(timeout))
                if let name { scope.insert(name) }
                if let body { check(body, scope: &scope, globals: globals, where: place) }
            case .result(let future, let timeout, let name), .exception(let future, let timeout, let name):
                reads(future.names + names(timeout))
                if let name { scope.insert(name) }
            case .asCompleted(let futures, let timeout, let each, let body):
                reads(futures.names + names(timeout))
                scope.insert(each)
                check(body, scope: &scope, globals: globals, where: place)
            case .wait(let futures, let timeout, _, let done, let notDone):
                reads(futures.names + names(timeout))
                if let done { scope.insert(done) }
                if let notDone { scope.insert(notDone) }
            case .cancel(let future, let name):
                reads(future.names)
                if let name { scope.insert(name) }
            case .addDoneCallback(let future, let log):
                reads(future.names)
                var inner = scope
                inner.insert("future")
                for name in Set(log.names).sorted() where !inner.contains(name) && !globals.contains(name) {
                    reader.error(step.location, "\(place): the callback's log reads '\(name)', which is not defined (it has 'future')")
                }
            case .shutdown: break
            case .forEach(let name, let items, let body):
                reads(items.names)
                scope.insert(name)
                check(body, scope: &scope, globals: globals, where: place)
            case .measure(let name, let body):
                check(body, scope: &scope, globals: globals, where: place)
                scope.insert(name)
            case .record(let name, let value):
                reads(value.names)
                scope.insert(name)
            case .attempt(let body, let handlers):
                check(body, scope: &scope, globals: globals, where: place)
                for handler in handlers {
                    var inner = scope
                    inner.insert("error")
                    check(handler.body, scope: &inner, globals: globals, where: place)
                    scope.formUnion(inner)
                }
            }
        }
    }
}
