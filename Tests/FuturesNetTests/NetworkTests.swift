import Foundation
import FuturesCore
@testable import FuturesNet
import Testing

@Suite("Flag server and downloads on 127.0.0.1")
struct FlagServerTests {
    @Test("LOCAL: a known flag is a GIF, saved byte for byte; an unknown code and a stray path are 404 → 'not found'")
    func local() throws {
        let server = try FlagServer(mode: .local)
        defer { server.stop() }
        #expect(server.port > 0)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("futureslab-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("br.gif").path
        let ok = HTTPDownload.get("\(server.baseURL)/flags/br/br.gif", timeout: .seconds(10), saveTo: path)
        #expect(ok.status == .ok && ok.code == 200)
        let saved = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(saved == FlagImages.gif(for: "BR"))
        #expect(Array(saved.prefix(6)) == Array("GIF89a".utf8) && saved.last == 0x3B)
        #expect(HTTPDownload.get("\(server.baseURL)/flags/zz/zz.gif", timeout: .seconds(10)).status == .notFound)
        #expect(HTTPDownload.get("\(server.baseURL)/flags/br/cn.gif", timeout: .seconds(10)).status == .notFound)
        #expect(server.answered.ok == 1 && server.answered.notFound == 2)
    }

    @Test("DELAY: no answer comes before the delay; a client timeout shorter than it is an 'error'")
    func delay() throws {
        let server = try FlagServer(mode: .delay(.milliseconds(300)))
        defer { server.stop() }
        let start = ContinuousClock.now
        #expect(HTTPDownload.get("\(server.baseURL)/flags/cn/cn.gif", timeout: .seconds(10)).status == .ok)
        #expect(ContinuousClock.now - start >= .milliseconds(300))
        let late = HTTPDownload.get("\(server.baseURL)/flags/in/in.gif", timeout: .milliseconds(50))
        #expect(late.status == .error)
    }

    @Test("ERROR: the rate's share of codes answer 503 → 'error', the same codes every time")
    func errors() throws {
        let server = try FlagServer(mode: .error(rate: 0.3, delay: .zero))
        defer { server.stop() }
        let codes = FlagImages.knownCodes
        let first = codes.map { HTTPDownload.get("\(server.baseURL)/flags/\($0.lowercased())/\($0.lowercased()).gif", timeout: .seconds(10)).status }
        let failed = first.filter { $0 == .error }.count
        #expect(failed > codes.count / 10 && failed < codes.count / 2, "\(failed) of \(codes.count)")
        #expect(first.allSatisfy { $0 == .ok || $0 == .error })
        let again = codes.prefix(10).map { HTTPDownload.get("\(server.baseURL)/flags/\($0.lowercased())/\($0.lowercased()).gif", timeout: .seconds(10)).status }
        #expect(Array(first.prefix(10)) == again)
    }

    @Test("a port nobody listens on, and any host but 127.0.0.1, are 'error' with the reason")
    func unreachable() throws {
        let server = try FlagServer(mode: .local)
        let url = "\(server.baseURL)/flags/cn/cn.gif"
        server.stop()
        let refused = HTTPDownload.get(url, timeout: .seconds(5))
        #expect(refused.status == .error && refused.detail != nil)
        let outside = HTTPDownload.get("http://example.com/flags/cn/cn.gif", timeout: .seconds(5))
        #expect(outside.status == .error && outside.detail?.contains("only 127.0.0.1") == true)
    }
}

@Suite("Echo server on 127.0.0.1")
struct EchoServerTests {
    @Test("on a pool of 4: 20 clients × 5 messages all echoed intact, never more than 4 handlers at once")
    func pool() throws {
        let pool = try ThreadPoolExecutor(maxWorkers: 4)
        let server = try EchoServer(handling: .pool(pool))
        let load = EchoLoad.run(port: server.port, clients: 20, messages: 5, size: 512, pause: .milliseconds(2))
        server.stop()
        pool.shutdown(wait: true)
        #expect(load.failures.isEmpty, "\(load.failures)")
        #expect(load.clientsOK == 20 && load.mismatches == 0 && load.bytesChecked == 20 * 5 * 512)
        let stats = server.statistics
        #expect(stats.connections == 20 && stats.bytesEchoed == 20 * 5 * 512)
        #expect(stats.peakHandlers >= 1 && stats.peakHandlers <= 4)
        #expect(stats.threadsStarted == 0)
    }

    @Test("a thread per client: one new thread for every connection")
    func threadPerClient() throws {
        let server = try EchoServer(handling: .threadPerClient)
        let load = EchoLoad.run(port: server.port, clients: 12, messages: 3, size: 64, pause: .milliseconds(5))
        server.stop()
        #expect(load.clientsOK == 12, "\(load.failures)")
        #expect(server.statistics.threadsStarted == 12)
    }

    @Test("a client that never sends is dropped after the server's timeout, and the load reports a server gone away")
    func silentClient() throws {
        let server = try EchoServer(handling: .threadPerClient, timeout: .milliseconds(100))
        let socket = try TCPSocket.connect(port: server.port)
        socket.setTimeout(.seconds(10))
        #expect(try socket.receive(capacity: 16).isEmpty, "the server closes the idle connection")
        server.stop()
        #expect(server.statistics.failures == 1)
        let load = EchoLoad.run(port: server.port, clients: 1, messages: 1, size: 8, pause: .zero, timeout: .seconds(2))
        #expect(load.clientsOK == 0 && load.failures.count == 1)
    }
}
