// The store thread: records handed over come out committed, in order, in batches; a full queue
// refuses (and counts) instead of blocking; a failing database is retried with the same records.
#include "store/writer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

namespace callq::store {
namespace {

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("callq-writer-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::unique_ptr<Store> open() {
    auto s = Store::open((dir_ / "callq.db").string());
    EXPECT_TRUE(s.has_value()) << s.error().message;
    return s ? std::move(*s) : nullptr;
  }
  static EventRecord enter(std::uint64_t call) {
    EventRecord e;
    e.timeMs = 1000 + static_cast<std::int64_t>(call);
    e.type = "ENTERQUEUE";
    e.call = call;
    e.queue = "sales";
    return e;
  }
  std::filesystem::path dir_;
};

// A configuration change: the events handed over after it count with the new service level,
// those before it with the old one, even within one batch.
TEST_F(WriterTest, NewQueueSettingsCountFromTheEventsAfterThem) {
  const auto connect = [](std::uint64_t call, std::int64_t waitMs) {
    EventRecord e = enter(call);
    e.type = "CONNECT";
    e.agent = "alice";
    e.timeMs += waitMs;
    e.waitMs = waitMs;
    return e;
  };
  std::unique_ptr<Store> store = open();
  Store* s = store.get();
  s->setQueueParams({{"sales", QueueParams{20'000, 0}}});
  StatsQuery query;
  query.fromMs = 0;
  query.toMs = 24 * 3600 * 1000;
  {
    StoreWriter writer(std::move(store), {});
    ASSERT_TRUE(writer.add(enter(1)));
    ASSERT_TRUE(writer.add(connect(1, 30'000)));  // 30 s: not within 20 s
    writer.setQueueParams({{"sales", QueueParams{60'000, 0}}});
    ASSERT_TRUE(writer.add(enter(2)));
    ASSERT_TRUE(writer.add(connect(2, 30'000)));  // within 60 s
    ASSERT_TRUE(writer.flush(std::chrono::seconds(30)));
  }
  auto reader = open();
  auto rows = reader->queueStats(query);
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].figures.answered, 2u);
  EXPECT_EQ((*rows)[0].figures.answeredWithinSl, 1u);
}

TEST_F(WriterTest, EverythingHandedOverIsCommittedInOrderFromSeveralThreads) {
  {
    StoreWriter writer(open(), {});
    std::thread other([&] {
      for (std::uint64_t i = 0; i < 20'000; ++i) {
        ASSERT_TRUE(writer.add(enter(1'000'000 + i)));
      }
    });
    for (std::uint64_t i = 1; i <= 20'000; ++i) {
      ASSERT_TRUE(writer.add(enter(i)));
    }
    writer.add(QueueStateRecord{"sales", 3});
    other.join();
    ASSERT_TRUE(writer.flush(std::chrono::seconds(30)));
    const StoreWriter::Counters c = writer.counters();
    EXPECT_EQ(c.committed, 40'000u);
    EXPECT_EQ(c.dropped, 0u);
    EXPECT_LT(c.batches, 40'000u);  // grouped
  }
  auto store = open();
  ASSERT_TRUE(store);
  auto page = store->events({});
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->events.size(), 40'000u);
  std::uint64_t lastMain = 0;
  for (const EventRecord& e : page->events) {
    if (e.call < 1'000'000) {
      EXPECT_EQ(e.call, lastMain + 1);  // one thread's records keep their order
      lastMain = e.call;
    }
  }
  auto queues = store->queueStates();
  ASSERT_TRUE(queues.has_value());
  EXPECT_EQ(queues->size(), 1u);
}

// The write-ahead log is copied into the database as it grows (checkpoints), so it
// stays bounded however long the server runs.
TEST_F(WriterTest, TheWriteAheadLogStaysBounded) {
  std::uintmax_t largest = 0;
  {
    StoreWriter writer(open(), {});
    for (std::uint64_t i = 1; i <= 1'000'000; ++i) {
      writer.add(enter(i));
      if (i % 100'000 == 0) {
        ASSERT_TRUE(writer.flush(std::chrono::seconds(60)));
        largest = std::max(largest, std::filesystem::file_size(dir_ / "callq.db-wal"));
      }
    }
  }
  const std::uintmax_t db = std::filesystem::file_size(dir_ / "callq.db");
  // Without checkpoints the WAL would hold every page of the database.
  EXPECT_GT(db, 100u << 20) << "1,000,000 events should take over 100 MB";
  EXPECT_LT(largest, 96u << 20) << "the WAL grew to " << largest << " bytes (database " << db
                                << ")";
}

TEST_F(WriterTest, AFailingAppendIsRetriedWithTheSameRecordsAndCommittedOnce) {
  auto store = open();
  ASSERT_TRUE(store);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "callq.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TRIGGER boom BEFORE INSERT ON events "
                         "BEGIN SELECT RAISE(ABORT, 'the disk is full'); END",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  std::mutex m;
  std::vector<std::string> errors;
  StoreWriter::Options options;
  options.onError = [&](const std::string& message) {
    std::lock_guard lock(m);
    errors.push_back(message);
  };
  {
    StoreWriter writer(std::move(store), options);
    for (std::uint64_t i = 1; i <= 3; ++i) {
      writer.add(enter(i));
    }
    EXPECT_FALSE(writer.flush(std::chrono::milliseconds(300)));  // still failing
    ASSERT_EQ(sqlite3_exec(db, "DROP TRIGGER boom", nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_TRUE(writer.flush(std::chrono::seconds(30)));
    EXPECT_EQ(writer.counters().committed, 3u);
    EXPECT_EQ(writer.counters().dropped, 0u);
  }
  sqlite3_close(db);
  {
    std::lock_guard lock(m);
    ASSERT_FALSE(errors.empty());
    EXPECT_NE(errors[0].find("the disk is full"), std::string::npos) << errors[0];
  }
  auto reopened = open();
  ASSERT_TRUE(reopened);
  auto page = reopened->events({});
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->events.size(), 3u);  // once each, in order
  for (std::uint64_t i = 0; i < 3; ++i) {
    EXPECT_EQ(page->events[i].call, i + 1);
  }
}

// At stop, a failing append gets 5 s in all. What still fails then is lost, and nothing after it
// is written even if it could be: no CONNECT without its ENTERQUEUE.
TEST_F(WriterTest, AtStopAFailingAppendGetsFiveSecondsAndLeavesNoGap) {
  auto store = open();
  ASSERT_TRUE(store);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "callq.db").c_str(), &db), SQLITE_OK);
  // Only call 1 fails: call 2, alone in the next batch, could be written.
  ASSERT_EQ(sqlite3_exec(db,
                         "CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.call_id = 1 "
                         "BEGIN SELECT RAISE(ABORT, 'the disk is full'); END",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  StoreWriter writer(std::move(store), {});
  writer.add(enter(1));
  EXPECT_FALSE(writer.flush(std::chrono::milliseconds(300)));  // call 1 is being retried
  writer.add(enter(2));                                        // waits behind it
  const auto t0 = std::chrono::steady_clock::now();
  writer.stop();
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(took, std::chrono::milliseconds(4900));  // retried until the deadline
  EXPECT_LT(took, std::chrono::seconds(8));          // 5 s in all, not 5 s per batch
  EXPECT_EQ(writer.counters().committed, 0u);
  EXPECT_EQ(writer.counters().dropped, 2u);
  auto reopened = open();
  ASSERT_TRUE(reopened);
  auto page = reopened->events({});
  ASSERT_TRUE(page.has_value());
  EXPECT_TRUE(page->events.empty()) << page->events.size() << " event(s) written after a gap";
}

TEST_F(WriterTest, TheDestructorWritesWhatIsQueued) {
  {
    StoreWriter writer(open(), {});
    for (std::uint64_t i = 1; i <= 5000; ++i) {
      writer.add(enter(i));
    }
  }
  auto store = open();
  ASSERT_TRUE(store);
  auto last = store->lastCallId();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(*last, 5000u);
}

TEST_F(WriterTest, AFullQueueRefusesAndCountsInsteadOfBlocking) {
  StoreWriter::Options options;
  options.capacity = 100;
  auto writerStore = open();
  ASSERT_TRUE(writerStore);
  // Another connection holds the write lock: the writer's first append waits for it.
  sqlite3* blocker = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "callq.db").c_str(), &blocker), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(blocker, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  {
    StoreWriter writer(std::move(writerStore), options);
    ASSERT_TRUE(writer.add(enter(1)));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the writer took it, waits
    std::size_t refused = 0;
    for (std::uint64_t i = 2; i <= 1000; ++i) {
      refused += writer.add(enter(i)) ? 0 : 1;
    }
    // 100 fit in the queue besides event 1, which the writer took (unless a busy machine kept
    // its thread from starting within the 100 ms: then event 1 waits in the queue too).
    EXPECT_TRUE(refused == 899u || refused == 900u) << refused;
    EXPECT_EQ(writer.counters().dropped, refused);
    // State is not refused: a newer record of the same agent replaces the one waiting.
    for (std::int64_t i = 1; i <= 1000; ++i) {
      writer.add(AgentStateRecord{"bob", "ready", "", i, 0, {}});
    }
    ASSERT_EQ(sqlite3_exec(blocker, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_TRUE(writer.flush(std::chrono::seconds(30)));
    EXPECT_EQ(writer.counters().committed, 1000u - refused);
  }
  sqlite3_close(blocker);
  auto store = open();
  ASSERT_TRUE(store);
  auto agents = store->agentStates();
  ASSERT_TRUE(agents.has_value());
  ASSERT_EQ(agents->size(), 1u);
  EXPECT_EQ((*agents)[0].sinceMs, 1000);
}

}  // namespace
}  // namespace callq::store
