PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
CREATE TABLE procedures (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            name_fold TEXT NOT NULL,
            sector TEXT NOT NULL,
            sector_fold TEXT NOT NULL,
            level TEXT NOT NULL,
            agency TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
CREATE TABLE dossiers (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            agency_id TEXT NOT NULL,
            day TEXT NOT NULL,
            seq INTEGER NOT NULL,
            procedure_code TEXT NOT NULL,
            procedure_name TEXT NOT NULL,
            applicant_kind TEXT NOT NULL,
            applicant_name TEXT NOT NULL,
            applicant_id_number TEXT NOT NULL DEFAULT '',
            applicant_phone TEXT NOT NULL DEFAULT '',
            applicant TEXT NOT NULL,
            channel TEXT NOT NULL,
            received_at TEXT NOT NULL,
            original_due_at TEXT,
            due_at TEXT,
            status INTEGER NOT NULL,
            sets INTEGER NOT NULL DEFAULT 1,
            components TEXT NOT NULL DEFAULT '[]',
            fee_vnd INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT '',
            result_delivery TEXT NOT NULL DEFAULT '',
            received_by TEXT NOT NULL,
            station_id TEXT NOT NULL,
            updated_at TEXT NOT NULL, details TEXT NOT NULL DEFAULT '{}',
            UNIQUE (agency_id, day, seq)
        );
CREATE TABLE dossier_events (
            id INTEGER PRIMARY KEY,
            dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
            seq INTEGER NOT NULL,
            action TEXT NOT NULL,
            status_after INTEGER NOT NULL,
            at TEXT NOT NULL,
            clerk TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            agency TEXT NOT NULL DEFAULT '',
            due_after TEXT,
            UNIQUE (dossier_id, seq)
        );
CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            entity TEXT NOT NULL,
            payload TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error TEXT NOT NULL DEFAULT '',
            parked INTEGER NOT NULL DEFAULT 0,
            sent_at TEXT
        , origin TEXT, origin_seq BIGINT, confirmed_at TEXT);
CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            station_id TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        , origin TEXT NOT NULL DEFAULT '', seq INTEGER, prev_hash TEXT, hash TEXT);
CREATE TABLE code_blocks (
            id INTEGER PRIMARY KEY,
            agency_id TEXT NOT NULL,
            day TEXT NOT NULL,
            first INTEGER NOT NULL,
            last INTEGER NOT NULL,
            next INTEGER NOT NULL,
            leased_at TEXT NOT NULL,
            UNIQUE (agency_id, day, first),
            CHECK (first >= 1 AND last >= first AND next >= first AND next <= last + 1)
        );
CREATE TABLE calendar_overrides (
            day TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('off', 'work')),
            label TEXT NOT NULL DEFAULT ''
        );
CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            dossier_id INTEGER NOT NULL REFERENCES dossiers(id),
            component_code TEXT NOT NULL,
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            path TEXT NOT NULL,
            pages INTEGER NOT NULL CHECK (pages >= 1),
            mode TEXT NOT NULL CHECK (mode IN ('bw', 'grey', 'colour')),
            bytes INTEGER NOT NULL CHECK (bytes > 0),
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL,
            reused_from INTEGER REFERENCES attachments(id),
            UNIQUE (dossier_id, component_code, sha256)
        );
CREATE TABLE catalog_revision (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            token TEXT NOT NULL,
            revision INTEGER NOT NULL
        );
CREATE TABLE audit_heads (origin TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL);
CREATE TABLE accounts (
            username TEXT PRIMARY KEY,
            full_name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
            active INTEGER NOT NULL DEFAULT 1,
            password_hash TEXT NOT NULL,
            pin_hash TEXT NOT NULL DEFAULT '',
            failed INTEGER NOT NULL DEFAULT 0,
            locked_until TEXT NOT NULL DEFAULT '',
            dirty INTEGER NOT NULL DEFAULT 0,  -- changed here, not yet taken by the centre
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
CREATE TABLE rep_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL);
CREATE TABLE rep_events (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            origin TEXT NOT NULL,
            origin_seq BIGINT NOT NULL,
            dossier TEXT NOT NULL,
            prev TEXT,
            kind TEXT NOT NULL,
            envelope TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            source TEXT NOT NULL,
            verdict TEXT NOT NULL DEFAULT 'applied' CHECK (verdict IN ('applied', 'conflict')),
            pos BIGINT NOT NULL DEFAULT 0,
            up_pos BIGINT,
            up_verdict TEXT,
            arrived_at TEXT NOT NULL,
            settled_by TEXT,
            at_root BIGINT NOT NULL DEFAULT 0,
            UNIQUE (origin, origin_seq)
        );
CREATE TABLE rep_dossiers (
            code TEXT PRIMARY KEY,
            agency_id TEXT NOT NULL,
            received_key TEXT,
            status BIGINT,
            due_at TEXT,
            version BIGINT NOT NULL DEFAULT 0,
            up_version BIGINT,
            conflicts BIGINT NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
CREATE TABLE rep_feed (seq INTEGER PRIMARY KEY AUTOINCREMENT, holder TEXT NOT NULL, dossier TEXT NOT NULL);
CREATE TABLE rep_holders (
            dossier TEXT NOT NULL,
            holder TEXT NOT NULL,
            since TEXT NOT NULL,
            PRIMARY KEY (dossier, holder)
        );
CREATE TABLE rep_event_documents (
            event_key TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            PRIMARY KEY (event_key, sha256)
        );
CREATE TABLE rep_origins (origin TEXT PRIMARY KEY, high_water BIGINT NOT NULL);
CREATE TABLE rep_documents (
            sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
            size BIGINT NOT NULL CHECK (size >= 0),
            source TEXT NOT NULL,
            stored_at TEXT NOT NULL
        );
CREATE TABLE rep_peers (
            peer TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            token_sha256 TEXT NOT NULL UNIQUE,
            agencies TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            revoked_at TEXT
        );
CREATE TABLE rep_catalog (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            etag TEXT NOT NULL,
            body TEXT NOT NULL,
            published_at TEXT NOT NULL
        );
CREATE TABLE rep_state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE dvc_records (
            id INTEGER PRIMARY KEY,
            madonvi TEXT NOT NULL,
            service TEXT NOT NULL,
            ma_ho_so TEXT NOT NULL,
            updating BIGINT NOT NULL,
            record TEXT NOT NULL,
            received_at TEXT NOT NULL
        );
CREATE TABLE rep_published (
            name TEXT PRIMARY KEY,
            etag TEXT NOT NULL,
            body TEXT NOT NULL,
            published_at TEXT NOT NULL
        );
CREATE TABLE rep_audit (
            id INTEGER PRIMARY KEY,
            origin TEXT NOT NULL,
            seq BIGINT NOT NULL,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            station_id TEXT NOT NULL,
            action TEXT NOT NULL,
            entity TEXT NOT NULL,
            detail TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL,
            source TEXT NOT NULL,
            arrived_at TEXT NOT NULL,
            UNIQUE (origin, seq)
        );
CREATE TABLE rep_audit_heads (origin TEXT PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL);
CREATE VIRTUAL TABLE dossier_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE dossier_name_fts USING fts5(name, whole, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
INSERT INTO "_sqlite_migrations" ("id", "migration_set", "name", "applied_at") VALUES (1, 'motcua.workstation', '0001_catalog', '2026-12-02 00:06:54.723184+00:00');
INSERT INTO "_sqlite_migrations" ("id", "migration_set", "name", "applied_at") VALUES (2, 'motcua.workstation', '0002_dossiers', '2026-12-02 00:06:54.724123+00:00');
INSERT INTO "_sqlite_migrations" ("id", "migration_set", "name", "applied_at") VALUES (3, 'motcua.workstation', '0003_outbox_audit', '2026-12-02 00:06:54.724618+00:00');
INSERT INTO "_sqlite_migrations" ("id", "migration_set", "name", "applied_at") VALUES (4, 'motcua.workstation', '0004_code_blocks_calendar', '2026-12-02 00:06:54.725016+00:00');
INSERT INTO "_sqlite_migrations" ("id", "migration_set", "name", "applied_at") VALUES (5, 'motcua.workstation', '0005_attachments', '2026-12-02 00:06:54.725378+00:00');
INSERT INTO "_sqlite_migrations" ("id", "migration_set", "name", "applied_at") VALUES (6, 'motcua.workstation', '0006_dossier_details', '2026-12-02 00:06:54.729287+00:00');
INSERT INTO "_sqlite_migrations" ("id", "migration_set", "name", "applied_at") VALUES (7, 'motcua.workstation', '0007_search_indexes', '2026-12-02 00:06:54.730165+00:00');
INSERT INTO "_sqlite_migrations" ("id", "migration_set", "name", "applied_at") VALUES (8, 'motcua.workstation', '0008_audit_chain', '2026-12-02 00:06:54.731307+00:00');
INSERT INTO "_sqlite_migrations" ("id", "migration_set", "name", "applied_at") VALUES (9, 'motcua.workstation', '0009_accounts', '2026-12-02 00:06:54.731622+00:00');
INSERT INTO "procedures" ("code", "name", "name_fold", "sector", "sector_fold", "level", "agency", "active", "data", "updated_at") VALUES ('1.001193', 'Thủ tục đăng ký khai sinh', 'thu tuc dang ky khai sinh', 'Hộ tịch', 'ho tich', 'commune', 'Ủy ban nhân dân cấp xã', 1, '{"code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "sector": "Hộ tịch", "level": "commune", "agency": "Ủy ban nhân dân cấp xã", "statutory_time": {"amount": 0, "unit": "same_day", "cutoff": "15:00", "skip_holidays": true}, "local_time": null, "fees": [], "components": [{"code": "TP1", "name": "Tờ khai đăng ký khai sinh theo mẫu", "originals": 1, "certified_copies": 0, "photocopies": 0, "required": true, "must_digitize": true}, {"code": "TP2", "name": "Giấy chứng sinh hoặc văn bản thay thế Giấy chứng sinh", "originals": 1, "certified_copies": 0, "photocopies": 0, "required": true, "must_digitize": true}, {"code": "TP3", "name": "Văn bản ủy quyền theo quy định (trường hợp nộp thay)", "originals": 1, "certified_copies": 0, "photocopies": 0, "required": false, "must_digitize": true}, {"code": "TP4", "name": "Giấy tờ tùy thân của người yêu cầu (xuất trình bản chính)", "originals": 1, "certified_copies": 0, "photocopies": 0, "required": true, "must_digitize": false}], "channels": ["1", "2", "3"], "service_level": 4, "territory": "", "payment_pauses_clock": false, "active": true, "extra": {"fee_note": "Miễn lệ phí khi đăng ký đúng hạn; đăng ký quá hạn thu theo Nghị quyết HĐND tỉnh", "time_note": "Trong ngày; nhận hồ sơ sau 15 giờ thì trả trong ngày làm việc tiếp theo"}}', '2026-11-23 08:14:00');
INSERT INTO "procedures" ("code", "name", "name_fold", "sector", "sector_fold", "level", "agency", "active", "data", "updated_at") VALUES ('2.000815', 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam; cơ quan, tổ chức có thẩm quyền của nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận', 'chung thuc ban sao tu ban chinh giay to van ban do co quan to chuc co tham quyen cua viet nam co quan to chuc co tham quyen cua nuoc ngoai co quan to chuc co tham quyen cua viet nam lien ket voi co quan to chuc co tham quyen cua nuoc ngoai cap hoac chung nhan', 'Chứng thực', 'chung thuc', 'commune', 'Ủy ban nhân dân cấp xã', 1, '{"code": "2.000815", "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam; cơ quan, tổ chức có thẩm quyền của nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận", "sector": "Chứng thực", "level": "commune", "agency": "Ủy ban nhân dân cấp xã", "statutory_time": {"amount": 0, "unit": "same_day", "cutoff": "15:00", "skip_holidays": true}, "local_time": null, "fees": [{"name": "Phí chứng thực bản sao từ bản chính", "amount_vnd": 2000, "note": "đồng/trang đối với trang thứ nhất, thứ hai; từ trang thứ ba trở lên 1.000 đồng/trang, tối đa 200.000 đồng/bản", "per": "page", "next_amount_vnd": 1000, "tier_from": 3, "cap_vnd": 200000}], "components": [{"code": "TP1", "name": "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", "originals": 1, "certified_copies": 0, "photocopies": 0, "required": true, "must_digitize": false}, {"code": "TP2", "name": "Bản sao cần chứng thực (trường hợp không tự chụp tại nơi chứng thực)", "originals": 0, "certified_copies": 0, "photocopies": 1, "required": true, "must_digitize": false}], "channels": ["1", "2"], "service_level": 3, "territory": "", "payment_pauses_clock": false, "active": true, "extra": {"time_note": "Trong ngày; nhận sau 15 giờ thì trả trong ngày làm việc tiếp theo; số lượng lớn có thể kéo dài thêm không quá 02 ngày làm việc"}}', '2026-11-23 08:14:00');
INSERT INTO "procedures" ("code", "name", "name_fold", "sector", "sector_fold", "level", "agency", "active", "data", "updated_at") VALUES ('2.001019', 'Chứng thực di chúc', 'chung thuc di chuc', 'Chứng thực', 'chung thuc', 'commune', 'Ủy ban nhân dân cấp xã', 1, '{"code": "2.001019", "name": "Chứng thực di chúc", "sector": "Chứng thực", "level": "commune", "agency": "Ủy ban nhân dân cấp xã", "statutory_time": {"amount": 2, "unit": "working_days", "cutoff": "", "skip_holidays": true}, "local_time": null, "fees": [{"name": "Phí chứng thực di chúc", "amount_vnd": 50000, "note": "đồng/di chúc"}], "components": [{"code": "TP1", "name": "Dự thảo di chúc", "originals": 1, "certified_copies": 0, "photocopies": 0, "required": true, "must_digitize": false}, {"code": "TP2", "name": "Giấy tờ tùy thân của người lập di chúc (xuất trình bản chính)", "originals": 1, "certified_copies": 0, "photocopies": 0, "required": true, "must_digitize": false}, {"code": "TP3", "name": "Bản sao giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản (nếu di chúc liên quan đến tài sản đó)", "originals": 0, "certified_copies": 1, "photocopies": 0, "required": false, "must_digitize": true}], "channels": ["1"], "service_level": 2, "territory": "", "payment_pauses_clock": false, "active": true, "extra": {"note": "unverified", "unverified": "statutory_time", "time_note": "Nguồn tham khảo xếp cùng nhóm chứng thực trong ngày; Nghị định 23/2015 cho hợp đồng, giao dịch không quá 02 ngày làm việc"}}', '2026-11-23 08:14:00');
INSERT INTO "dossiers" ("id", "code", "agency_id", "day", "seq", "procedure_code", "procedure_name", "applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone", "applicant", "channel", "received_at", "original_due_at", "due_at", "status", "sets", "components", "fee_vnd", "note", "result_delivery", "received_by", "station_id", "updated_at", "details") VALUES (1, '000.25.38.H38-261123-0001', '000.25.38.H38', '2026-11-23', 1, '1.001193', 'Thủ tục đăng ký khai sinh', '1', 'Nguyễn Văn An', '051084009698', '0912345678', '{"kind": "1", "name": "Nguyễn Văn An", "id_number": "051084009698", "birth_date": null, "sex": null, "address": {"detail": "", "commune": "", "province": "", "former_district": "", "province_code": 0, "commune_code": 0, "as_printed": ""}, "phone": "0912345678", "email": "", "old_id_number": "", "id_issued": null}', '1', '2026-11-23 08:21:00', '2026-11-23 17:00:00', '2026-11-23 17:00:00', 2, 1, '[{"code": "TP1", "name": "Tờ khai đăng ký khai sinh theo mẫu", "originals": 1, "certified_copies": 0, "photocopies": 0}, {"code": "TP2", "name": "Giấy chứng sinh hoặc văn bản thay thế Giấy chứng sinh", "originals": 1, "certified_copies": 0, "photocopies": 0}, {"code": "TP3", "name": "Văn bản ủy quyền theo quy định (trường hợp nộp thay)", "originals": 1, "certified_copies": 0, "photocopies": 0}, {"code": "TP4", "name": "Giấy tờ tùy thân của người yêu cầu (xuất trình bản chính)", "originals": 1, "certified_copies": 0, "photocopies": 0}]', 0, '', 'Bộ phận tiếp nhận và trả kết quả', 'Cán bộ tiếp nhận', 'Q01', '2026-12-02 00:06:55', '{}');
INSERT INTO "dossiers" ("id", "code", "agency_id", "day", "seq", "procedure_code", "procedure_name", "applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone", "applicant", "channel", "received_at", "original_due_at", "due_at", "status", "sets", "components", "fee_vnd", "note", "result_delivery", "received_by", "station_id", "updated_at", "details") VALUES (2, '000.25.38.H38-261123-0002', '000.25.38.H38', '2026-11-23', 2, '1.001193', 'Thủ tục đăng ký khai sinh', '1', 'Trần Thị Bình', '001190012345', '', '{"kind": "1", "name": "Trần Thị Bình", "id_number": "001190012345", "birth_date": null, "sex": null, "address": {"detail": "", "commune": "", "province": "", "former_district": "", "province_code": 0, "commune_code": 0, "as_printed": ""}, "phone": "", "email": "", "old_id_number": "", "id_issued": null}', '1', '2026-11-23 08:42:00', '2026-11-23 17:00:00', '2026-11-23 17:00:00', 2, 1, '[{"code": "TP1", "name": "Tờ khai đăng ký khai sinh theo mẫu", "originals": 1, "certified_copies": 0, "photocopies": 0}, {"code": "TP2", "name": "Giấy chứng sinh hoặc văn bản thay thế Giấy chứng sinh", "originals": 1, "certified_copies": 0, "photocopies": 0}, {"code": "TP3", "name": "Văn bản ủy quyền theo quy định (trường hợp nộp thay)", "originals": 1, "certified_copies": 0, "photocopies": 0}, {"code": "TP4", "name": "Giấy tờ tùy thân của người yêu cầu (xuất trình bản chính)", "originals": 1, "certified_copies": 0, "photocopies": 0}]', 0, '', 'Bộ phận tiếp nhận và trả kết quả', 'Cán bộ tiếp nhận', 'Q01', '2026-12-02 00:06:55', '{}');
INSERT INTO "dossiers" ("id", "code", "agency_id", "day", "seq", "procedure_code", "procedure_name", "applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone", "applicant", "channel", "received_at", "original_due_at", "due_at", "status", "sets", "components", "fee_vnd", "note", "result_delivery", "received_by", "station_id", "updated_at", "details") VALUES (3, '000.25.38.H38-261123-0003', '000.25.38.H38', '2026-11-23', 3, '2.001019', 'Chứng thực di chúc', '1', 'Lò Thị Mai', '', '0987654321', '{"kind": "1", "name": "Lò Thị Mai", "id_number": "", "birth_date": null, "sex": null, "address": {"detail": "", "commune": "", "province": "", "former_district": "", "province_code": 0, "commune_code": 0, "as_printed": ""}, "phone": "0987654321", "email": "", "old_id_number": "", "id_issued": null}', '1', '2026-11-23 08:49:00', '2026-11-26 08:49:00', '2026-11-26 08:49:00', 2, 1, '[{"code": "TP1", "name": "Dự thảo di chúc", "originals": 1, "certified_copies": 0, "photocopies": 0}, {"code": "TP2", "name": "Giấy tờ tùy thân của người lập di chúc (xuất trình bản chính)", "originals": 1, "certified_copies": 0, "photocopies": 0}, {"code": "TP3", "name": "Bản sao giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản (nếu di chúc liên quan đến tài sản đó)", "originals": 1, "certified_copies": 0, "photocopies": 0}]', 50000, '', 'Bộ phận tiếp nhận và trả kết quả', 'Cán bộ tiếp nhận', 'Q01', '2026-12-02 00:06:55', '{"fees": [{"name": "Phí chứng thực di chúc", "per": "dossier", "quantity": 1, "amount_vnd": 50000, "copies": 1}]}');
INSERT INTO "dossiers" ("id", "code", "agency_id", "day", "seq", "procedure_code", "procedure_name", "applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone", "applicant", "channel", "received_at", "original_due_at", "due_at", "status", "sets", "components", "fee_vnd", "note", "result_delivery", "received_by", "station_id", "updated_at", "details") VALUES (4, '000.25.38.H38-261123-0004', '000.25.38.H38', '2026-11-23', 4, '2.000815', 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam; cơ quan, tổ chức có thẩm quyền của nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận', '1', 'Phạm Văn Sinh', '036085001122', '', '{"kind": "1", "name": "Phạm Văn Sinh", "id_number": "036085001122", "birth_date": null, "sex": null, "address": {"detail": "", "commune": "", "province": "", "former_district": "", "province_code": 0, "commune_code": 0, "as_printed": ""}, "phone": "", "email": "", "old_id_number": "", "id_issued": null}', '1', '2026-11-23 09:03:00', '2026-11-23 17:00:00', '2026-11-23 17:00:00', 2, 1, '[{"code": "TP1", "name": "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", "originals": 1, "certified_copies": 0, "photocopies": 0}, {"code": "TP2", "name": "Bản sao cần chứng thực (trường hợp không tự chụp tại nơi chứng thực)", "originals": 1, "certified_copies": 0, "photocopies": 0}]', 2000, '', 'Bộ phận tiếp nhận và trả kết quả', 'Cán bộ tiếp nhận', 'Q01', '2026-12-02 00:06:55', '{"fees": [{"name": "Phí chứng thực bản sao từ bản chính", "per": "page", "quantity": 1, "amount_vnd": 2000, "copies": 1}]}');
INSERT INTO "dossiers" ("id", "code", "agency_id", "day", "seq", "procedure_code", "procedure_name", "applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone", "applicant", "channel", "received_at", "original_due_at", "due_at", "status", "sets", "components", "fee_vnd", "note", "result_delivery", "received_by", "station_id", "updated_at", "details") VALUES (5, '000.25.38.H38-261123-0005', '000.25.38.H38', '2026-11-23', 5, '1.001193', 'Thủ tục đăng ký khai sinh', '1', 'Đặng Hồng Bảo', '', '', '{"kind": "1", "name": "Đặng Hồng Bảo", "id_number": "", "birth_date": null, "sex": null, "address": {"detail": "", "commune": "", "province": "", "former_district": "", "province_code": 0, "commune_code": 0, "as_printed": ""}, "phone": "", "email": "", "old_id_number": "", "id_issued": null}', '1', '2026-11-23 09:10:00', '2026-11-23 17:00:00', '2026-11-23 17:00:00', 2, 1, '[{"code": "TP1", "name": "Tờ khai đăng ký khai sinh theo mẫu", "originals": 1, "certified_copies": 0, "photocopies": 0}, {"code": "TP2", "name": "Giấy chứng sinh hoặc văn bản thay thế Giấy chứng sinh", "originals": 1, "certified_copies": 0, "photocopies": 0}, {"code": "TP3", "name": "Văn bản ủy quyền theo quy định (trường hợp nộp thay)", "originals": 1, "certified_copies": 0, "photocopies": 0}, {"code": "TP4", "name": "Giấy tờ tùy thân của người yêu cầu (xuất trình bản chính)", "originals": 1, "certified_copies": 0, "photocopies": 0}]', 0, '', 'Bộ phận tiếp nhận và trả kết quả', 'Cán bộ tiếp nhận', 'Q01', '2026-12-02 00:06:55', '{}');
INSERT INTO "dossiers" ("id", "code", "agency_id", "day", "seq", "procedure_code", "procedure_name", "applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone", "applicant", "channel", "received_at", "original_due_at", "due_at", "status", "sets", "components", "fee_vnd", "note", "result_delivery", "received_by", "station_id", "updated_at", "details") VALUES (6, '000.25.38.H38-261123-0006', '000.25.38.H38', '2026-11-23', 6, '2.001019', 'Chứng thực di chúc', '1', 'Giàng A Páo', '011092003344', '0977000111', '{"kind": "1", "name": "Giàng A Páo", "id_number": "011092003344", "birth_date": null, "sex": null, "address": {"detail": "", "commune": "", "province": "", "former_district": "", "province_code": 0, "commune_code": 0, "as_printed": ""}, "phone": "0977000111", "email": "", "old_id_number": "", "id_issued": null}', '1', '2026-11-23 09:24:00', '2026-11-26 09:24:00', '2026-11-26 09:24:00', 2, 1, '[{"code": "TP1", "name": "Dự thảo di chúc", "originals": 1, "certified_copies": 0, "photocopies": 0}, {"code": "TP2", "name": "Giấy tờ tùy thân của người lập di chúc (xuất trình bản chính)", "originals": 1, "certified_copies": 0, "photocopies": 0}, {"code": "TP3", "name": "Bản sao giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản (nếu di chúc liên quan đến tài sản đó)", "originals": 1, "certified_copies": 0, "photocopies": 0}]', 50000, '', 'Bộ phận tiếp nhận và trả kết quả', 'Cán bộ tiếp nhận', 'Q01', '2026-12-02 00:06:55', '{"fees": [{"name": "Phí chứng thực di chúc", "per": "dossier", "quantity": 1, "amount_vnd": 50000, "copies": 1}]}');
INSERT INTO "dossier_events" ("id", "dossier_id", "seq", "action", "status_after", "at", "clerk", "note", "agency", "due_after") VALUES (1, 1, 1, 'receive', 2, '2026-11-23 08:21:00', 'Cán bộ tiếp nhận', '', '', '2026-11-23 17:00:00');
INSERT INTO "dossier_events" ("id", "dossier_id", "seq", "action", "status_after", "at", "clerk", "note", "agency", "due_after") VALUES (2, 2, 1, 'receive', 2, '2026-11-23 08:42:00', 'Cán bộ tiếp nhận', '', '', '2026-11-23 17:00:00');
INSERT INTO "dossier_events" ("id", "dossier_id", "seq", "action", "status_after", "at", "clerk", "note", "agency", "due_after") VALUES (3, 3, 1, 'receive', 2, '2026-11-23 08:49:00', 'Cán bộ tiếp nhận', '', '', '2026-11-26 08:49:00');
INSERT INTO "dossier_events" ("id", "dossier_id", "seq", "action", "status_after", "at", "clerk", "note", "agency", "due_after") VALUES (4, 4, 1, 'receive', 2, '2026-11-23 09:03:00', 'Cán bộ tiếp nhận', '', '', '2026-11-23 17:00:00');
INSERT INTO "dossier_events" ("id", "dossier_id", "seq", "action", "status_after", "at", "clerk", "note", "agency", "due_after") VALUES (5, 5, 1, 'receive', 2, '2026-11-23 09:10:00', 'Cán bộ tiếp nhận', '', '', '2026-11-23 17:00:00');
INSERT INTO "dossier_events" ("id", "dossier_id", "seq", "action", "status_after", "at", "clerk", "note", "agency", "due_after") VALUES (6, 6, 1, 'receive', 2, '2026-11-23 09:24:00', 'Cán bộ tiếp nhận', '', '', '2026-11-26 09:24:00');
INSERT INTO "outbox" ("id", "key", "kind", "entity", "payload", "sha256", "created_at", "attempts", "next_attempt_at", "last_error", "parked", "sent_at", "origin", "origin_seq", "confirmed_at") VALUES (1, '2c973233-28d5-461e-ac26-9cfbd9f2426e', 'dossier.received', '000.25.38.H38-261123-0001', '{"at":"2026-11-23 08:21:00","data":{"agency_id":"000.25.38.H38","applicant":{"address":{"as_printed":"","commune":"","commune_code":0,"detail":"","former_district":"","province":"","province_code":0},"birth_date":null,"email":"","id_issued":null,"id_number":"051084009698","kind":"1","name":"Nguyễn Văn An","old_id_number":"","phone":"0912345678","sex":null},"channel":"1","code":"000.25.38.H38-261123-0001","components":[{"certified_copies":0,"code":"TP1","name":"Tờ khai đăng ký khai sinh theo mẫu","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP2","name":"Giấy chứng sinh hoặc văn bản thay thế Giấy chứng sinh","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP3","name":"Văn bản ủy quyền theo quy định (trường hợp nộp thay)","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP4","name":"Giấy tờ tùy thân của người yêu cầu (xuất trình bản chính)","originals":1,"photocopies":0}],"due_at":"2026-11-23 17:00:00","fee_vnd":0,"handling_agency_id":"","note":"","procedure_code":"1.001193","procedure_name":"Thủ tục đăng ký khai sinh","received_at":"2026-11-23 08:21:00","received_by":"Cán bộ tiếp nhận","result_delivery":"Bộ phận tiếp nhận và trả kết quả","sets":1,"status":2},"documents":[],"dossier":"000.25.38.H38-261123-0001","key":"2c973233-28d5-461e-ac26-9cfbd9f2426e","kind":"dossier.received","origin":"000.25.38.H38/Q01","origin_seq":1,"prev":null,"v":1}', 'ca739438ecca905d457757490d71b2de0be7d91147c093d1b58ca271cdeb0288', '2026-11-23 08:21:00', 0, NULL, '', 0, NULL, '000.25.38.H38/Q01', 1, NULL);
INSERT INTO "outbox" ("id", "key", "kind", "entity", "payload", "sha256", "created_at", "attempts", "next_attempt_at", "last_error", "parked", "sent_at", "origin", "origin_seq", "confirmed_at") VALUES (2, '4bb2ea0c-d637-413c-84a0-93d87661bf61', 'attachment.added', '000.25.38.H38-261123-0001', '{"at":"2026-11-23 08:35:00","data":{"bytes":34,"component":"TP1","content_type":"application/pdf","created_at":"2026-11-23 08:35:00","created_by":"Cán bộ tiếp nhận","mode":"bw","pages":1,"reused_from_sha256":null,"sha256":"061465a512355c33e26efa5d4a90c5e6e9a83d68a68f0af8d335c886f5f01567"},"documents":["061465a512355c33e26efa5d4a90c5e6e9a83d68a68f0af8d335c886f5f01567"],"dossier":"000.25.38.H38-261123-0001","key":"4bb2ea0c-d637-413c-84a0-93d87661bf61","kind":"attachment.added","origin":"000.25.38.H38/Q01","origin_seq":2,"prev":"2c973233-28d5-461e-ac26-9cfbd9f2426e","v":1}', '463dc343a8ca91eb35aaaac5fd781bc7439e2a0d8cedfe16870a6cbedc725f4f', '2026-11-23 08:35:00', 0, NULL, '', 0, NULL, '000.25.38.H38/Q01', 2, NULL);
INSERT INTO "outbox" ("id", "key", "kind", "entity", "payload", "sha256", "created_at", "attempts", "next_attempt_at", "last_error", "parked", "sent_at", "origin", "origin_seq", "confirmed_at") VALUES (3, '8e16652a-f707-4a33-9e84-e4ff3d7cc0d6', 'dossier.received', '000.25.38.H38-261123-0002', '{"at":"2026-11-23 08:42:00","data":{"agency_id":"000.25.38.H38","applicant":{"address":{"as_printed":"","commune":"","commune_code":0,"detail":"","former_district":"","province":"","province_code":0},"birth_date":null,"email":"","id_issued":null,"id_number":"001190012345","kind":"1","name":"Trần Thị Bình","old_id_number":"","phone":"","sex":null},"channel":"1","code":"000.25.38.H38-261123-0002","components":[{"certified_copies":0,"code":"TP1","name":"Tờ khai đăng ký khai sinh theo mẫu","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP2","name":"Giấy chứng sinh hoặc văn bản thay thế Giấy chứng sinh","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP3","name":"Văn bản ủy quyền theo quy định (trường hợp nộp thay)","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP4","name":"Giấy tờ tùy thân của người yêu cầu (xuất trình bản chính)","originals":1,"photocopies":0}],"due_at":"2026-11-23 17:00:00","fee_vnd":0,"handling_agency_id":"","note":"","procedure_code":"1.001193","procedure_name":"Thủ tục đăng ký khai sinh","received_at":"2026-11-23 08:42:00","received_by":"Cán bộ tiếp nhận","result_delivery":"Bộ phận tiếp nhận và trả kết quả","sets":1,"status":2},"documents":[],"dossier":"000.25.38.H38-261123-0002","key":"8e16652a-f707-4a33-9e84-e4ff3d7cc0d6","kind":"dossier.received","origin":"000.25.38.H38/Q01","origin_seq":3,"prev":null,"v":1}', '678774f7363ee618008b17c4d21045a0e21a29f0bb12b5998ed79494edba8dbf', '2026-11-23 08:42:00', 0, NULL, '', 0, NULL, '000.25.38.H38/Q01', 3, NULL);
INSERT INTO "outbox" ("id", "key", "kind", "entity", "payload", "sha256", "created_at", "attempts", "next_attempt_at", "last_error", "parked", "sent_at", "origin", "origin_seq", "confirmed_at") VALUES (4, '5e69e9cd-427c-49df-90ce-14d1b0d68f17', 'dossier.received', '000.25.38.H38-261123-0003', '{"at":"2026-11-23 08:49:00","data":{"agency_id":"000.25.38.H38","applicant":{"address":{"as_printed":"","commune":"","commune_code":0,"detail":"","former_district":"","province":"","province_code":0},"birth_date":null,"email":"","id_issued":null,"id_number":"","kind":"1","name":"Lò Thị Mai","old_id_number":"","phone":"0987654321","sex":null},"channel":"1","code":"000.25.38.H38-261123-0003","components":[{"certified_copies":0,"code":"TP1","name":"Dự thảo di chúc","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP2","name":"Giấy tờ tùy thân của người lập di chúc (xuất trình bản chính)","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP3","name":"Bản sao giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản (nếu di chúc liên quan đến tài sản đó)","originals":1,"photocopies":0}],"due_at":"2026-11-26 08:49:00","fee_vnd":50000,"fees":[{"amount_vnd":50000,"copies":1,"name":"Phí chứng thực di chúc","per":"dossier","quantity":1}],"handling_agency_id":"","note":"","procedure_code":"2.001019","procedure_name":"Chứng thực di chúc","received_at":"2026-11-23 08:49:00","received_by":"Cán bộ tiếp nhận","result_delivery":"Bộ phận tiếp nhận và trả kết quả","sets":1,"status":2},"documents":[],"dossier":"000.25.38.H38-261123-0003","key":"5e69e9cd-427c-49df-90ce-14d1b0d68f17","kind":"dossier.received","origin":"000.25.38.H38/Q01","origin_seq":4,"prev":null,"v":1}', '8a06038df7d92dd09579abf66f81aaa6bae28621056dfefe27a1139143a5e00e', '2026-11-23 08:49:00', 0, NULL, '', 0, NULL, '000.25.38.H38/Q01', 4, NULL);
INSERT INTO "outbox" ("id", "key", "kind", "entity", "payload", "sha256", "created_at", "attempts", "next_attempt_at", "last_error", "parked", "sent_at", "origin", "origin_seq", "confirmed_at") VALUES (5, 'a14bd294-ee04-4d16-98a7-ed2eff4c3a68', 'attachment.added', '000.25.38.H38-261123-0003', '{"at":"2026-11-23 08:56:00","data":{"bytes":31,"component":"TP1","content_type":"application/pdf","created_at":"2026-11-23 08:56:00","created_by":"Cán bộ tiếp nhận","mode":"bw","pages":1,"reused_from_sha256":null,"sha256":"4ffc8e92a0cd99dcec0bc31fe203c0438f3aa84e34d54d860b2afb2bf8014ad7"},"documents":["4ffc8e92a0cd99dcec0bc31fe203c0438f3aa84e34d54d860b2afb2bf8014ad7"],"dossier":"000.25.38.H38-261123-0003","key":"a14bd294-ee04-4d16-98a7-ed2eff4c3a68","kind":"attachment.added","origin":"000.25.38.H38/Q01","origin_seq":5,"prev":"5e69e9cd-427c-49df-90ce-14d1b0d68f17","v":1}', '8e2976bc9d83da17f4456d14490706866b3b183f3fee52f71ddcf91bff039e86', '2026-11-23 08:56:00', 0, NULL, '', 0, NULL, '000.25.38.H38/Q01', 5, NULL);
INSERT INTO "outbox" ("id", "key", "kind", "entity", "payload", "sha256", "created_at", "attempts", "next_attempt_at", "last_error", "parked", "sent_at", "origin", "origin_seq", "confirmed_at") VALUES (6, '6bb3a2e2-6bd6-41ec-a7d6-bafcc9ab96a0', 'dossier.received', '000.25.38.H38-261123-0004', '{"at":"2026-11-23 09:03:00","data":{"agency_id":"000.25.38.H38","applicant":{"address":{"as_printed":"","commune":"","commune_code":0,"detail":"","former_district":"","province":"","province_code":0},"birth_date":null,"email":"","id_issued":null,"id_number":"036085001122","kind":"1","name":"Phạm Văn Sinh","old_id_number":"","phone":"","sex":null},"channel":"1","code":"000.25.38.H38-261123-0004","components":[{"certified_copies":0,"code":"TP1","name":"Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP2","name":"Bản sao cần chứng thực (trường hợp không tự chụp tại nơi chứng thực)","originals":1,"photocopies":0}],"due_at":"2026-11-23 17:00:00","fee_vnd":2000,"fees":[{"amount_vnd":2000,"copies":1,"name":"Phí chứng thực bản sao từ bản chính","per":"page","quantity":1}],"handling_agency_id":"","note":"","procedure_code":"2.000815","procedure_name":"Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam; cơ quan, tổ chức có thẩm quyền của nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận","received_at":"2026-11-23 09:03:00","received_by":"Cán bộ tiếp nhận","result_delivery":"Bộ phận tiếp nhận và trả kết quả","sets":1,"status":2},"documents":[],"dossier":"000.25.38.H38-261123-0004","key":"6bb3a2e2-6bd6-41ec-a7d6-bafcc9ab96a0","kind":"dossier.received","origin":"000.25.38.H38/Q01","origin_seq":6,"prev":null,"v":1}', '4a988da789f9502001465a73b41595e326415c684757666e714d45c9e5667197', '2026-11-23 09:03:00', 0, NULL, '', 0, NULL, '000.25.38.H38/Q01', 6, NULL);
INSERT INTO "outbox" ("id", "key", "kind", "entity", "payload", "sha256", "created_at", "attempts", "next_attempt_at", "last_error", "parked", "sent_at", "origin", "origin_seq", "confirmed_at") VALUES (7, '299af35a-e0c5-46d0-99bf-05be2ce6d331', 'dossier.received', '000.25.38.H38-261123-0005', '{"at":"2026-11-23 09:10:00","data":{"agency_id":"000.25.38.H38","applicant":{"address":{"as_printed":"","commune":"","commune_code":0,"detail":"","former_district":"","province":"","province_code":0},"birth_date":null,"email":"","id_issued":null,"id_number":"","kind":"1","name":"Đặng Hồng Bảo","old_id_number":"","phone":"","sex":null},"channel":"1","code":"000.25.38.H38-261123-0005","components":[{"certified_copies":0,"code":"TP1","name":"Tờ khai đăng ký khai sinh theo mẫu","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP2","name":"Giấy chứng sinh hoặc văn bản thay thế Giấy chứng sinh","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP3","name":"Văn bản ủy quyền theo quy định (trường hợp nộp thay)","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP4","name":"Giấy tờ tùy thân của người yêu cầu (xuất trình bản chính)","originals":1,"photocopies":0}],"due_at":"2026-11-23 17:00:00","fee_vnd":0,"handling_agency_id":"","note":"","procedure_code":"1.001193","procedure_name":"Thủ tục đăng ký khai sinh","received_at":"2026-11-23 09:10:00","received_by":"Cán bộ tiếp nhận","result_delivery":"Bộ phận tiếp nhận và trả kết quả","sets":1,"status":2},"documents":[],"dossier":"000.25.38.H38-261123-0005","key":"299af35a-e0c5-46d0-99bf-05be2ce6d331","kind":"dossier.received","origin":"000.25.38.H38/Q01","origin_seq":7,"prev":null,"v":1}', '949d14b310c5adce655aae8e904018d3dffbfccae88b04a37c03f39ac48b51a4', '2026-11-23 09:10:00', 0, NULL, '', 0, NULL, '000.25.38.H38/Q01', 7, NULL);
INSERT INTO "outbox" ("id", "key", "kind", "entity", "payload", "sha256", "created_at", "attempts", "next_attempt_at", "last_error", "parked", "sent_at", "origin", "origin_seq", "confirmed_at") VALUES (8, '1d3eb869-fdbf-4cad-87f5-89ae9e474028', 'attachment.added', '000.25.38.H38-261123-0005', '{"at":"2026-11-23 09:17:00","data":{"bytes":38,"component":"TP1","content_type":"application/pdf","created_at":"2026-11-23 09:17:00","created_by":"Cán bộ tiếp nhận","mode":"bw","pages":1,"reused_from_sha256":null,"sha256":"aedc966867783ea78e536e5b5d7a705f7884d2ad390c1eabce76d12ae42cdc37"},"documents":["aedc966867783ea78e536e5b5d7a705f7884d2ad390c1eabce76d12ae42cdc37"],"dossier":"000.25.38.H38-261123-0005","key":"1d3eb869-fdbf-4cad-87f5-89ae9e474028","kind":"attachment.added","origin":"000.25.38.H38/Q01","origin_seq":8,"prev":"299af35a-e0c5-46d0-99bf-05be2ce6d331","v":1}', '1adf051989fd3231ec3b3e4057d16c8045b2d3b1f82874b80bf3519c363a88eb', '2026-11-23 09:17:00', 0, NULL, '', 0, NULL, '000.25.38.H38/Q01', 8, NULL);
INSERT INTO "outbox" ("id", "key", "kind", "entity", "payload", "sha256", "created_at", "attempts", "next_attempt_at", "last_error", "parked", "sent_at", "origin", "origin_seq", "confirmed_at") VALUES (9, '345cece5-1283-416d-880c-0b6b6e0dbdfe', 'dossier.received', '000.25.38.H38-261123-0006', '{"at":"2026-11-23 09:24:00","data":{"agency_id":"000.25.38.H38","applicant":{"address":{"as_printed":"","commune":"","commune_code":0,"detail":"","former_district":"","province":"","province_code":0},"birth_date":null,"email":"","id_issued":null,"id_number":"011092003344","kind":"1","name":"Giàng A Páo","old_id_number":"","phone":"0977000111","sex":null},"channel":"1","code":"000.25.38.H38-261123-0006","components":[{"certified_copies":0,"code":"TP1","name":"Dự thảo di chúc","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP2","name":"Giấy tờ tùy thân của người lập di chúc (xuất trình bản chính)","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP3","name":"Bản sao giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản (nếu di chúc liên quan đến tài sản đó)","originals":1,"photocopies":0}],"due_at":"2026-11-26 09:24:00","fee_vnd":50000,"fees":[{"amount_vnd":50000,"copies":1,"name":"Phí chứng thực di chúc","per":"dossier","quantity":1}],"handling_agency_id":"","note":"","procedure_code":"2.001019","procedure_name":"Chứng thực di chúc","received_at":"2026-11-23 09:24:00","received_by":"Cán bộ tiếp nhận","result_delivery":"Bộ phận tiếp nhận và trả kết quả","sets":1,"status":2},"documents":[],"dossier":"000.25.38.H38-261123-0006","key":"345cece5-1283-416d-880c-0b6b6e0dbdfe","kind":"dossier.received","origin":"000.25.38.H38/Q01","origin_seq":9,"prev":null,"v":1}', '2779d47db77b414260aacf6ae846560fe1a92f8195c76ce76bcf0097a9d335dc', '2026-11-23 09:24:00', 0, NULL, '', 0, NULL, '000.25.38.H38/Q01', 9, NULL);
INSERT INTO "audit_log" ("id", "at", "actor", "station_id", "action", "entity", "detail", "origin", "seq", "prev_hash", "hash") VALUES (1, '2026-11-23 08:14:00', 'Cán bộ tiếp nhận', 'Q01', 'catalog_import', 'catalog', '{"count": 51, "source": "/tmp/motcua-snapshots-17eox579/daf3353816/resources/catalog/sample_catalog.json"}', '000.25.38.H38/Q01', 1, '0000000000000000000000000000000000000000000000000000000000000000', '9fe9392e08b86a84037d4b4469fca0e0beb69e4df1485b118c5de6b99ffb0fdf');
INSERT INTO "audit_log" ("id", "at", "actor", "station_id", "action", "entity", "detail", "origin", "seq", "prev_hash", "hash") VALUES (2, '2026-11-23 08:21:00', 'Cán bộ tiếp nhận', 'Q01', 'receive', '000.25.38.H38-261123-0001', '{}', '000.25.38.H38/Q01', 2, '9fe9392e08b86a84037d4b4469fca0e0beb69e4df1485b118c5de6b99ffb0fdf', '4a4dc8fc90f542e958c598b3e6d537c91544d2110f312bd2582ff59048c0b455');
INSERT INTO "audit_log" ("id", "at", "actor", "station_id", "action", "entity", "detail", "origin", "seq", "prev_hash", "hash") VALUES (3, '2026-11-23 08:35:00', 'Cán bộ tiếp nhận', 'Q01', 'attach', '000.25.38.H38-261123-0001', '{"component": "TP1", "sha256": "061465a512355c33e26efa5d4a90c5e6e9a83d68a68f0af8d335c886f5f01567"}', '000.25.38.H38/Q01', 3, '4a4dc8fc90f542e958c598b3e6d537c91544d2110f312bd2582ff59048c0b455', 'db5792f6bc17d674d8e331d170a56ae006eadd8e65c83fe69193e269b3bb9e24');
INSERT INTO "audit_log" ("id", "at", "actor", "station_id", "action", "entity", "detail", "origin", "seq", "prev_hash", "hash") VALUES (4, '2026-11-23 08:42:00', 'Cán bộ tiếp nhận', 'Q01', 'receive', '000.25.38.H38-261123-0002', '{}', '000.25.38.H38/Q01', 4, 'db5792f6bc17d674d8e331d170a56ae006eadd8e65c83fe69193e269b3bb9e24', '012a10406ae05e197773978b16e81a966049377fa65b2e3d726fdfd753042615');
INSERT INTO "audit_log" ("id", "at", "actor", "station_id", "action", "entity", "detail", "origin", "seq", "prev_hash", "hash") VALUES (5, '2026-11-23 08:49:00', 'Cán bộ tiếp nhận', 'Q01', 'receive', '000.25.38.H38-261123-0003', '{}', '000.25.38.H38/Q01', 5, '012a10406ae05e197773978b16e81a966049377fa65b2e3d726fdfd753042615', '7408f24197670d05d59ebf232e74fd4bf3da126e5efd4ede7a977965cc75966b');
INSERT INTO "audit_log" ("id", "at", "actor", "station_id", "action", "entity", "detail", "origin", "seq", "prev_hash", "hash") VALUES (6, '2026-11-23 08:56:00', 'Cán bộ tiếp nhận', 'Q01', 'attach', '000.25.38.H38-261123-0003', '{"component": "TP1", "sha256": "4ffc8e92a0cd99dcec0bc31fe203c0438f3aa84e34d54d860b2afb2bf8014ad7"}', '000.25.38.H38/Q01', 6, '7408f24197670d05d59ebf232e74fd4bf3da126e5efd4ede7a977965cc75966b', '5635c46f45c6eab2a976ed89fb529f7b0a90f68b80f6ea873066e5564a41eae0');
INSERT INTO "audit_log" ("id", "at", "actor", "station_id", "action", "entity", "detail", "origin", "seq", "prev_hash", "hash") VALUES (7, '2026-11-23 09:03:00', 'Cán bộ tiếp nhận', 'Q01', 'receive', '000.25.38.H38-261123-0004', '{}', '000.25.38.H38/Q01', 7, '5635c46f45c6eab2a976ed89fb529f7b0a90f68b80f6ea873066e5564a41eae0', '93dd37a2fc834cbe1406e020ad31ece8748525ecec47f4025cb7da8b42302721');
INSERT INTO "audit_log" ("id", "at", "actor", "station_id", "action", "entity", "detail", "origin", "seq", "prev_hash", "hash") VALUES (8, '2026-11-23 09:10:00', 'Cán bộ tiếp nhận', 'Q01', 'receive', '000.25.38.H38-261123-0005', '{}', '000.25.38.H38/Q01', 8, '93dd37a2fc834cbe1406e020ad31ece8748525ecec47f4025cb7da8b42302721', '0abb29a4c1010195f2d7ad6539026ce235f4efd40d3b47f810c543ab62c4d76c');
INSERT INTO "audit_log" ("id", "at", "actor", "station_id", "action", "entity", "detail", "origin", "seq", "prev_hash", "hash") VALUES (9, '2026-11-23 09:17:00', 'Cán bộ tiếp nhận', 'Q01', 'attach', '000.25.38.H38-261123-0005', '{"component": "TP1", "sha256": "aedc966867783ea78e536e5b5d7a705f7884d2ad390c1eabce76d12ae42cdc37"}', '000.25.38.H38/Q01', 9, '0abb29a4c1010195f2d7ad6539026ce235f4efd40d3b47f810c543ab62c4d76c', '68c399254d8ea0a570468b5707f2c7540eec5d03e3336ea4f832d5d9604ed327');
INSERT INTO "audit_log" ("id", "at", "actor", "station_id", "action", "entity", "detail", "origin", "seq", "prev_hash", "hash") VALUES (10, '2026-11-23 09:24:00', 'Cán bộ tiếp nhận', 'Q01', 'receive', '000.25.38.H38-261123-0006', '{}', '000.25.38.H38/Q01', 10, '68c399254d8ea0a570468b5707f2c7540eec5d03e3336ea4f832d5d9604ed327', '0a724136108cd7c27aa6b9a5a2a063eb71f79c6d19efcea92cd6cd9f0828e055');
INSERT INTO "code_blocks" ("id", "agency_id", "day", "first", "last", "next", "leased_at") VALUES (1, '000.25.38.H38', '2026-11-23', 1, 100, 7, '2026-11-23 08:28:00');
INSERT INTO "calendar_overrides" ("day", "kind", "label") VALUES ('2026-12-26', 'off', 'Nghỉ bù');
INSERT INTO "attachments" ("id", "dossier_id", "component_code", "sha256", "path", "pages", "mode", "bytes", "created_at", "created_by", "reused_from") VALUES (1, 1, 'TP1', '061465a512355c33e26efa5d4a90c5e6e9a83d68a68f0af8d335c886f5f01567', 'files/06/061465a512355c33e26efa5d4a90c5e6e9a83d68a68f0af8d335c886f5f01567.pdf', 1, 'bw', 34, '2026-11-23 08:35:00', 'Cán bộ tiếp nhận', NULL);
INSERT INTO "attachments" ("id", "dossier_id", "component_code", "sha256", "path", "pages", "mode", "bytes", "created_at", "created_by", "reused_from") VALUES (2, 3, 'TP1', '4ffc8e92a0cd99dcec0bc31fe203c0438f3aa84e34d54d860b2afb2bf8014ad7', 'files/4f/4ffc8e92a0cd99dcec0bc31fe203c0438f3aa84e34d54d860b2afb2bf8014ad7.pdf', 1, 'bw', 31, '2026-11-23 08:56:00', 'Cán bộ tiếp nhận', NULL);
INSERT INTO "attachments" ("id", "dossier_id", "component_code", "sha256", "path", "pages", "mode", "bytes", "created_at", "created_by", "reused_from") VALUES (3, 5, 'TP1', 'aedc966867783ea78e536e5b5d7a705f7884d2ad390c1eabce76d12ae42cdc37', 'files/ae/aedc966867783ea78e536e5b5d7a705f7884d2ad390c1eabce76d12ae42cdc37.pdf', 1, 'bw', 38, '2026-11-23 09:17:00', 'Cán bộ tiếp nhận', NULL);
INSERT INTO "catalog_revision" ("id", "token", "revision") VALUES (1, '60bebc4013e19a67', 99);
INSERT INTO "audit_heads" ("origin", "seq", "hash") VALUES ('000.25.38.H38/Q01', 10, '0a724136108cd7c27aa6b9a5a2a063eb71f79c6d19efcea92cd6cd9f0828e055');
INSERT INTO "accounts" ("username", "full_name", "role", "active", "password_hash", "pin_hash", "failed", "locked_until", "dirty", "created_at", "updated_at") VALUES ('canbo1', 'Cán bộ Một', 'clerk', 1, '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA', '', 0, '', 0, '2026-11-23T07:00:00', '2026-11-23T07:00:00');
INSERT INTO "rep_migrations" ("name", "applied_at") VALUES ('0001_replica', '2026-12-02 00:06:54');
INSERT INTO "rep_migrations" ("name", "applied_at") VALUES ('0002_dvc_records', '2026-12-02 00:06:54');
INSERT INTO "rep_migrations" ("name", "applied_at") VALUES ('0003_published', '2026-12-02 00:06:54');
INSERT INTO "rep_migrations" ("name", "applied_at") VALUES ('0004_audit_chain', '2026-12-02 00:06:54');
INSERT INTO "rep_migrations" ("name", "applied_at") VALUES ('0005_events_by_kind', '2026-12-02 00:06:54');
INSERT INTO "rep_events" ("id", "key", "origin", "origin_seq", "dossier", "prev", "kind", "envelope", "sha256", "source", "verdict", "pos", "up_pos", "up_verdict", "arrived_at", "settled_by", "at_root") VALUES (1, '2c973233-28d5-461e-ac26-9cfbd9f2426e', '000.25.38.H38/Q01', 1, '000.25.38.H38-261123-0001', NULL, 'dossier.received', '{"at":"2026-11-23 08:21:00","data":{"agency_id":"000.25.38.H38","applicant":{"address":{"as_printed":"","commune":"","commune_code":0,"detail":"","former_district":"","province":"","province_code":0},"birth_date":null,"email":"","id_issued":null,"id_number":"051084009698","kind":"1","name":"Nguyễn Văn An","old_id_number":"","phone":"0912345678","sex":null},"channel":"1","code":"000.25.38.H38-261123-0001","components":[{"certified_copies":0,"code":"TP1","name":"Tờ khai đăng ký khai sinh theo mẫu","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP2","name":"Giấy chứng sinh hoặc văn bản thay thế Giấy chứng sinh","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP3","name":"Văn bản ủy quyền theo quy định (trường hợp nộp thay)","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP4","name":"Giấy tờ tùy thân của người yêu cầu (xuất trình bản chính)","originals":1,"photocopies":0}],"due_at":"2026-11-23 17:00:00","fee_vnd":0,"handling_agency_id":"","note":"","procedure_code":"1.001193","procedure_name":"Thủ tục đăng ký khai sinh","received_at":"2026-11-23 08:21:00","received_by":"Cán bộ tiếp nhận","result_delivery":"Bộ phận tiếp nhận và trả kết quả","sets":1,"status":2},"documents":[],"dossier":"000.25.38.H38-261123-0001","key":"2c973233-28d5-461e-ac26-9cfbd9f2426e","kind":"dossier.received","origin":"000.25.38.H38/Q01","origin_seq":1,"prev":null,"v":1}', 'ca739438ecca905d457757490d71b2de0be7d91147c093d1b58ca271cdeb0288', 'local', 'applied', 0, NULL, NULL, '2026-11-23 08:21:00', NULL, 0);
INSERT INTO "rep_events" ("id", "key", "origin", "origin_seq", "dossier", "prev", "kind", "envelope", "sha256", "source", "verdict", "pos", "up_pos", "up_verdict", "arrived_at", "settled_by", "at_root") VALUES (2, '4bb2ea0c-d637-413c-84a0-93d87661bf61', '000.25.38.H38/Q01', 2, '000.25.38.H38-261123-0001', '2c973233-28d5-461e-ac26-9cfbd9f2426e', 'attachment.added', '{"at":"2026-11-23 08:35:00","data":{"bytes":34,"component":"TP1","content_type":"application/pdf","created_at":"2026-11-23 08:35:00","created_by":"Cán bộ tiếp nhận","mode":"bw","pages":1,"reused_from_sha256":null,"sha256":"061465a512355c33e26efa5d4a90c5e6e9a83d68a68f0af8d335c886f5f01567"},"documents":["061465a512355c33e26efa5d4a90c5e6e9a83d68a68f0af8d335c886f5f01567"],"dossier":"000.25.38.H38-261123-0001","key":"4bb2ea0c-d637-413c-84a0-93d87661bf61","kind":"attachment.added","origin":"000.25.38.H38/Q01","origin_seq":2,"prev":"2c973233-28d5-461e-ac26-9cfbd9f2426e","v":1}', '463dc343a8ca91eb35aaaac5fd781bc7439e2a0d8cedfe16870a6cbedc725f4f', 'local', 'applied', 1, NULL, NULL, '2026-11-23 08:35:00', NULL, 0);
INSERT INTO "rep_events" ("id", "key", "origin", "origin_seq", "dossier", "prev", "kind", "envelope", "sha256", "source", "verdict", "pos", "up_pos", "up_verdict", "arrived_at", "settled_by", "at_root") VALUES (3, '8e16652a-f707-4a33-9e84-e4ff3d7cc0d6', '000.25.38.H38/Q01', 3, '000.25.38.H38-261123-0002', NULL, 'dossier.received', '{"at":"2026-11-23 08:42:00","data":{"agency_id":"000.25.38.H38","applicant":{"address":{"as_printed":"","commune":"","commune_code":0,"detail":"","former_district":"","province":"","province_code":0},"birth_date":null,"email":"","id_issued":null,"id_number":"001190012345","kind":"1","name":"Trần Thị Bình","old_id_number":"","phone":"","sex":null},"channel":"1","code":"000.25.38.H38-261123-0002","components":[{"certified_copies":0,"code":"TP1","name":"Tờ khai đăng ký khai sinh theo mẫu","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP2","name":"Giấy chứng sinh hoặc văn bản thay thế Giấy chứng sinh","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP3","name":"Văn bản ủy quyền theo quy định (trường hợp nộp thay)","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP4","name":"Giấy tờ tùy thân của người yêu cầu (xuất trình bản chính)","originals":1,"photocopies":0}],"due_at":"2026-11-23 17:00:00","fee_vnd":0,"handling_agency_id":"","note":"","procedure_code":"1.001193","procedure_name":"Thủ tục đăng ký khai sinh","received_at":"2026-11-23 08:42:00","received_by":"Cán bộ tiếp nhận","result_delivery":"Bộ phận tiếp nhận và trả kết quả","sets":1,"status":2},"documents":[],"dossier":"000.25.38.H38-261123-0002","key":"8e16652a-f707-4a33-9e84-e4ff3d7cc0d6","kind":"dossier.received","origin":"000.25.38.H38/Q01","origin_seq":3,"prev":null,"v":1}', '678774f7363ee618008b17c4d21045a0e21a29f0bb12b5998ed79494edba8dbf', 'local', 'applied', 0, NULL, NULL, '2026-11-23 08:42:00', NULL, 0);
INSERT INTO "rep_events" ("id", "key", "origin", "origin_seq", "dossier", "prev", "kind", "envelope", "sha256", "source", "verdict", "pos", "up_pos", "up_verdict", "arrived_at", "settled_by", "at_root") VALUES (4, '5e69e9cd-427c-49df-90ce-14d1b0d68f17', '000.25.38.H38/Q01', 4, '000.25.38.H38-261123-0003', NULL, 'dossier.received', '{"at":"2026-11-23 08:49:00","data":{"agency_id":"000.25.38.H38","applicant":{"address":{"as_printed":"","commune":"","commune_code":0,"detail":"","former_district":"","province":"","province_code":0},"birth_date":null,"email":"","id_issued":null,"id_number":"","kind":"1","name":"Lò Thị Mai","old_id_number":"","phone":"0987654321","sex":null},"channel":"1","code":"000.25.38.H38-261123-0003","components":[{"certified_copies":0,"code":"TP1","name":"Dự thảo di chúc","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP2","name":"Giấy tờ tùy thân của người lập di chúc (xuất trình bản chính)","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP3","name":"Bản sao giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản (nếu di chúc liên quan đến tài sản đó)","originals":1,"photocopies":0}],"due_at":"2026-11-26 08:49:00","fee_vnd":50000,"fees":[{"amount_vnd":50000,"copies":1,"name":"Phí chứng thực di chúc","per":"dossier","quantity":1}],"handling_agency_id":"","note":"","procedure_code":"2.001019","procedure_name":"Chứng thực di chúc","received_at":"2026-11-23 08:49:00","received_by":"Cán bộ tiếp nhận","result_delivery":"Bộ phận tiếp nhận và trả kết quả","sets":1,"status":2},"documents":[],"dossier":"000.25.38.H38-261123-0003","key":"5e69e9cd-427c-49df-90ce-14d1b0d68f17","kind":"dossier.received","origin":"000.25.38.H38/Q01","origin_seq":4,"prev":null,"v":1}', '8a06038df7d92dd09579abf66f81aaa6bae28621056dfefe27a1139143a5e00e', 'local', 'applied', 0, NULL, NULL, '2026-11-23 08:49:00', NULL, 0);
INSERT INTO "rep_events" ("id", "key", "origin", "origin_seq", "dossier", "prev", "kind", "envelope", "sha256", "source", "verdict", "pos", "up_pos", "up_verdict", "arrived_at", "settled_by", "at_root") VALUES (5, 'a14bd294-ee04-4d16-98a7-ed2eff4c3a68', '000.25.38.H38/Q01', 5, '000.25.38.H38-261123-0003', '5e69e9cd-427c-49df-90ce-14d1b0d68f17', 'attachment.added', '{"at":"2026-11-23 08:56:00","data":{"bytes":31,"component":"TP1","content_type":"application/pdf","created_at":"2026-11-23 08:56:00","created_by":"Cán bộ tiếp nhận","mode":"bw","pages":1,"reused_from_sha256":null,"sha256":"4ffc8e92a0cd99dcec0bc31fe203c0438f3aa84e34d54d860b2afb2bf8014ad7"},"documents":["4ffc8e92a0cd99dcec0bc31fe203c0438f3aa84e34d54d860b2afb2bf8014ad7"],"dossier":"000.25.38.H38-261123-0003","key":"a14bd294-ee04-4d16-98a7-ed2eff4c3a68","kind":"attachment.added","origin":"000.25.38.H38/Q01","origin_seq":5,"prev":"5e69e9cd-427c-49df-90ce-14d1b0d68f17","v":1}', '8e2976bc9d83da17f4456d14490706866b3b183f3fee52f71ddcf91bff039e86', 'local', 'applied', 1, NULL, NULL, '2026-11-23 08:56:00', NULL, 0);
INSERT INTO "rep_events" ("id", "key", "origin", "origin_seq", "dossier", "prev", "kind", "envelope", "sha256", "source", "verdict", "pos", "up_pos", "up_verdict", "arrived_at", "settled_by", "at_root") VALUES (6, '6bb3a2e2-6bd6-41ec-a7d6-bafcc9ab96a0', '000.25.38.H38/Q01', 6, '000.25.38.H38-261123-0004', NULL, 'dossier.received', '{"at":"2026-11-23 09:03:00","data":{"agency_id":"000.25.38.H38","applicant":{"address":{"as_printed":"","commune":"","commune_code":0,"detail":"","former_district":"","province":"","province_code":0},"birth_date":null,"email":"","id_issued":null,"id_number":"036085001122","kind":"1","name":"Phạm Văn Sinh","old_id_number":"","phone":"","sex":null},"channel":"1","code":"000.25.38.H38-261123-0004","components":[{"certified_copies":0,"code":"TP1","name":"Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP2","name":"Bản sao cần chứng thực (trường hợp không tự chụp tại nơi chứng thực)","originals":1,"photocopies":0}],"due_at":"2026-11-23 17:00:00","fee_vnd":2000,"fees":[{"amount_vnd":2000,"copies":1,"name":"Phí chứng thực bản sao từ bản chính","per":"page","quantity":1}],"handling_agency_id":"","note":"","procedure_code":"2.000815","procedure_name":"Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam; cơ quan, tổ chức có thẩm quyền của nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận","received_at":"2026-11-23 09:03:00","received_by":"Cán bộ tiếp nhận","result_delivery":"Bộ phận tiếp nhận và trả kết quả","sets":1,"status":2},"documents":[],"dossier":"000.25.38.H38-261123-0004","key":"6bb3a2e2-6bd6-41ec-a7d6-bafcc9ab96a0","kind":"dossier.received","origin":"000.25.38.H38/Q01","origin_seq":6,"prev":null,"v":1}', '4a988da789f9502001465a73b41595e326415c684757666e714d45c9e5667197', 'local', 'applied', 0, NULL, NULL, '2026-11-23 09:03:00', NULL, 0);
INSERT INTO "rep_events" ("id", "key", "origin", "origin_seq", "dossier", "prev", "kind", "envelope", "sha256", "source", "verdict", "pos", "up_pos", "up_verdict", "arrived_at", "settled_by", "at_root") VALUES (7, '299af35a-e0c5-46d0-99bf-05be2ce6d331', '000.25.38.H38/Q01', 7, '000.25.38.H38-261123-0005', NULL, 'dossier.received', '{"at":"2026-11-23 09:10:00","data":{"agency_id":"000.25.38.H38","applicant":{"address":{"as_printed":"","commune":"","commune_code":0,"detail":"","former_district":"","province":"","province_code":0},"birth_date":null,"email":"","id_issued":null,"id_number":"","kind":"1","name":"Đặng Hồng Bảo","old_id_number":"","phone":"","sex":null},"channel":"1","code":"000.25.38.H38-261123-0005","components":[{"certified_copies":0,"code":"TP1","name":"Tờ khai đăng ký khai sinh theo mẫu","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP2","name":"Giấy chứng sinh hoặc văn bản thay thế Giấy chứng sinh","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP3","name":"Văn bản ủy quyền theo quy định (trường hợp nộp thay)","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP4","name":"Giấy tờ tùy thân của người yêu cầu (xuất trình bản chính)","originals":1,"photocopies":0}],"due_at":"2026-11-23 17:00:00","fee_vnd":0,"handling_agency_id":"","note":"","procedure_code":"1.001193","procedure_name":"Thủ tục đăng ký khai sinh","received_at":"2026-11-23 09:10:00","received_by":"Cán bộ tiếp nhận","result_delivery":"Bộ phận tiếp nhận và trả kết quả","sets":1,"status":2},"documents":[],"dossier":"000.25.38.H38-261123-0005","key":"299af35a-e0c5-46d0-99bf-05be2ce6d331","kind":"dossier.received","origin":"000.25.38.H38/Q01","origin_seq":7,"prev":null,"v":1}', '949d14b310c5adce655aae8e904018d3dffbfccae88b04a37c03f39ac48b51a4', 'local', 'applied', 0, NULL, NULL, '2026-11-23 09:10:00', NULL, 0);
INSERT INTO "rep_events" ("id", "key", "origin", "origin_seq", "dossier", "prev", "kind", "envelope", "sha256", "source", "verdict", "pos", "up_pos", "up_verdict", "arrived_at", "settled_by", "at_root") VALUES (8, '1d3eb869-fdbf-4cad-87f5-89ae9e474028', '000.25.38.H38/Q01', 8, '000.25.38.H38-261123-0005', '299af35a-e0c5-46d0-99bf-05be2ce6d331', 'attachment.added', '{"at":"2026-11-23 09:17:00","data":{"bytes":38,"component":"TP1","content_type":"application/pdf","created_at":"2026-11-23 09:17:00","created_by":"Cán bộ tiếp nhận","mode":"bw","pages":1,"reused_from_sha256":null,"sha256":"aedc966867783ea78e536e5b5d7a705f7884d2ad390c1eabce76d12ae42cdc37"},"documents":["aedc966867783ea78e536e5b5d7a705f7884d2ad390c1eabce76d12ae42cdc37"],"dossier":"000.25.38.H38-261123-0005","key":"1d3eb869-fdbf-4cad-87f5-89ae9e474028","kind":"attachment.added","origin":"000.25.38.H38/Q01","origin_seq":8,"prev":"299af35a-e0c5-46d0-99bf-05be2ce6d331","v":1}', '1adf051989fd3231ec3b3e4057d16c8045b2d3b1f82874b80bf3519c363a88eb', 'local', 'applied', 1, NULL, NULL, '2026-11-23 09:17:00', NULL, 0);
INSERT INTO "rep_events" ("id", "key", "origin", "origin_seq", "dossier", "prev", "kind", "envelope", "sha256", "source", "verdict", "pos", "up_pos", "up_verdict", "arrived_at", "settled_by", "at_root") VALUES (9, '345cece5-1283-416d-880c-0b6b6e0dbdfe', '000.25.38.H38/Q01', 9, '000.25.38.H38-261123-0006', NULL, 'dossier.received', '{"at":"2026-11-23 09:24:00","data":{"agency_id":"000.25.38.H38","applicant":{"address":{"as_printed":"","commune":"","commune_code":0,"detail":"","former_district":"","province":"","province_code":0},"birth_date":null,"email":"","id_issued":null,"id_number":"011092003344","kind":"1","name":"Giàng A Páo","old_id_number":"","phone":"0977000111","sex":null},"channel":"1","code":"000.25.38.H38-261123-0006","components":[{"certified_copies":0,"code":"TP1","name":"Dự thảo di chúc","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP2","name":"Giấy tờ tùy thân của người lập di chúc (xuất trình bản chính)","originals":1,"photocopies":0},{"certified_copies":0,"code":"TP3","name":"Bản sao giấy chứng nhận quyền sở hữu, quyền sử dụng tài sản (nếu di chúc liên quan đến tài sản đó)","originals":1,"photocopies":0}],"due_at":"2026-11-26 09:24:00","fee_vnd":50000,"fees":[{"amount_vnd":50000,"copies":1,"name":"Phí chứng thực di chúc","per":"dossier","quantity":1}],"handling_agency_id":"","note":"","procedure_code":"2.001019","procedure_name":"Chứng thực di chúc","received_at":"2026-11-23 09:24:00","received_by":"Cán bộ tiếp nhận","result_delivery":"Bộ phận tiếp nhận và trả kết quả","sets":1,"status":2},"documents":[],"dossier":"000.25.38.H38-261123-0006","key":"345cece5-1283-416d-880c-0b6b6e0dbdfe","kind":"dossier.received","origin":"000.25.38.H38/Q01","origin_seq":9,"prev":null,"v":1}', '2779d47db77b414260aacf6ae846560fe1a92f8195c76ce76bcf0097a9d335dc', 'local', 'applied', 0, NULL, NULL, '2026-11-23 09:24:00', NULL, 0);
INSERT INTO "rep_dossiers" ("code", "agency_id", "received_key", "status", "due_at", "version", "up_version", "conflicts", "updated_at") VALUES ('000.25.38.H38-261123-0001', '000.25.38.H38', '2c973233-28d5-461e-ac26-9cfbd9f2426e', 2, '2026-11-23 17:00:00', 2, NULL, 0, '2026-11-23 08:35:00');
INSERT INTO "rep_dossiers" ("code", "agency_id", "received_key", "status", "due_at", "version", "up_version", "conflicts", "updated_at") VALUES ('000.25.38.H38-261123-0002', '000.25.38.H38', '8e16652a-f707-4a33-9e84-e4ff3d7cc0d6', 2, '2026-11-23 17:00:00', 1, NULL, 0, '2026-11-23 08:42:00');
INSERT INTO "rep_dossiers" ("code", "agency_id", "received_key", "status", "due_at", "version", "up_version", "conflicts", "updated_at") VALUES ('000.25.38.H38-261123-0003', '000.25.38.H38', '5e69e9cd-427c-49df-90ce-14d1b0d68f17', 2, '2026-11-26 08:49:00', 2, NULL, 0, '2026-11-23 08:56:00');
INSERT INTO "rep_dossiers" ("code", "agency_id", "received_key", "status", "due_at", "version", "up_version", "conflicts", "updated_at") VALUES ('000.25.38.H38-261123-0004', '000.25.38.H38', '6bb3a2e2-6bd6-41ec-a7d6-bafcc9ab96a0', 2, '2026-11-23 17:00:00', 1, NULL, 0, '2026-11-23 09:03:00');
INSERT INTO "rep_dossiers" ("code", "agency_id", "received_key", "status", "due_at", "version", "up_version", "conflicts", "updated_at") VALUES ('000.25.38.H38-261123-0005', '000.25.38.H38', '299af35a-e0c5-46d0-99bf-05be2ce6d331', 2, '2026-11-23 17:00:00', 2, NULL, 0, '2026-11-23 09:17:00');
INSERT INTO "rep_dossiers" ("code", "agency_id", "received_key", "status", "due_at", "version", "up_version", "conflicts", "updated_at") VALUES ('000.25.38.H38-261123-0006', '000.25.38.H38', '345cece5-1283-416d-880c-0b6b6e0dbdfe', 2, '2026-11-26 09:24:00', 1, NULL, 0, '2026-11-23 09:24:00');
INSERT INTO "rep_feed" ("seq", "holder", "dossier") VALUES (2, '*', '000.25.38.H38-261123-0001');
INSERT INTO "rep_feed" ("seq", "holder", "dossier") VALUES (3, '*', '000.25.38.H38-261123-0002');
INSERT INTO "rep_feed" ("seq", "holder", "dossier") VALUES (5, '*', '000.25.38.H38-261123-0003');
INSERT INTO "rep_feed" ("seq", "holder", "dossier") VALUES (6, '*', '000.25.38.H38-261123-0004');
INSERT INTO "rep_feed" ("seq", "holder", "dossier") VALUES (8, '*', '000.25.38.H38-261123-0005');
INSERT INTO "rep_feed" ("seq", "holder", "dossier") VALUES (9, '*', '000.25.38.H38-261123-0006');
INSERT INTO "rep_event_documents" ("event_key", "sha256") VALUES ('4bb2ea0c-d637-413c-84a0-93d87661bf61', '061465a512355c33e26efa5d4a90c5e6e9a83d68a68f0af8d335c886f5f01567');
INSERT INTO "rep_event_documents" ("event_key", "sha256") VALUES ('a14bd294-ee04-4d16-98a7-ed2eff4c3a68', '4ffc8e92a0cd99dcec0bc31fe203c0438f3aa84e34d54d860b2afb2bf8014ad7');
INSERT INTO "rep_event_documents" ("event_key", "sha256") VALUES ('1d3eb869-fdbf-4cad-87f5-89ae9e474028', 'aedc966867783ea78e536e5b5d7a705f7884d2ad390c1eabce76d12ae42cdc37');
INSERT INTO "rep_origins" ("origin", "high_water") VALUES ('000.25.38.H38/Q01', 9);
INSERT INTO "rep_documents" ("sha256", "size", "source", "stored_at") VALUES ('061465a512355c33e26efa5d4a90c5e6e9a83d68a68f0af8d335c886f5f01567', 34, 'local', '2026-11-23 08:35:00');
INSERT INTO "rep_documents" ("sha256", "size", "source", "stored_at") VALUES ('4ffc8e92a0cd99dcec0bc31fe203c0438f3aa84e34d54d860b2afb2bf8014ad7', 31, 'local', '2026-11-23 08:56:00');
INSERT INTO "rep_documents" ("sha256", "size", "source", "stored_at") VALUES ('aedc966867783ea78e536e5b5d7a705f7884d2ad390c1eabce76d12ae42cdc37', 38, 'local', '2026-11-23 09:17:00');
INSERT INTO "rep_state" ("name", "value") VALUES ('legacy.adopted', '1');
INSERT INTO "rep_state" ("name", "value") VALUES ('audit.origin', '000.25.38.H38/Q01');
INSERT INTO "dossier_fts" (rowid, text) VALUES (1, 'nguyen van an thu tuc dang ky khai sinh 000.25.38.h38-261123-0001 0002538h382611230001 051084009698  0912345678');
INSERT INTO "dossier_fts" (rowid, text) VALUES (2, 'tran thi binh thu tuc dang ky khai sinh 000.25.38.h38-261123-0002 0002538h382611230002 001190012345');
INSERT INTO "dossier_fts" (rowid, text) VALUES (3, 'lo thi mai chung thuc di chuc 000.25.38.h38-261123-0003 0002538h382611230003   0987654321');
INSERT INTO "dossier_fts" (rowid, text) VALUES (4, 'pham van sinh chung thuc ban sao tu ban chinh giay to van ban do co quan to chuc co tham quyen cua viet nam co quan to chuc co tham quyen cua nuoc ngoai co quan to chuc co tham quyen cua viet nam lien ket voi co quan to chuc co tham quyen cua nuoc ngoai cap hoac chung nhan 000.25.38.h38-261123-0004 0002538h382611230004 036085001122');
INSERT INTO "dossier_fts" (rowid, text) VALUES (5, 'dang hong bao thu tuc dang ky khai sinh 000.25.38.h38-261123-0005 0002538h382611230005');
INSERT INTO "dossier_fts" (rowid, text) VALUES (6, 'giang a pao chung thuc di chuc 000.25.38.h38-261123-0006 0002538h382611230006 011092003344  0977000111');
INSERT INTO "dossier_name_fts" (rowid, name, whole) VALUES (1, 'nguyen van an', 'nguyenvanan');
INSERT INTO "dossier_name_fts" (rowid, name, whole) VALUES (2, 'tran thi binh', 'tranthibinh');
INSERT INTO "dossier_name_fts" (rowid, name, whole) VALUES (3, 'lo thi mai', 'lothimai');
INSERT INTO "dossier_name_fts" (rowid, name, whole) VALUES (4, 'pham van sinh', 'phamvansinh');
INSERT INTO "dossier_name_fts" (rowid, name, whole) VALUES (5, 'dang hong bao', 'danghongbao');
INSERT INTO "dossier_name_fts" (rowid, name, whole) VALUES (6, 'giang a pao', 'giangapao');
INSERT INTO sqlite_sequence (name, seq) VALUES ('rep_feed', 9);
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE INDEX procedures_sector ON procedures(sector_fold);
CREATE INDEX dossiers_id_number ON dossiers(applicant_id_number);
CREATE INDEX dossiers_phone ON dossiers(applicant_phone);
CREATE INDEX dossiers_received ON dossiers(received_at);
CREATE INDEX dossiers_status ON dossiers(status, due_at);
CREATE INDEX outbox_pending ON outbox(sent_at, parked, next_attempt_at);
CREATE INDEX audit_entity ON audit_log(entity);
CREATE INDEX attachments_dossier ON attachments(dossier_id, component_code);
CREATE INDEX attachments_sha ON attachments(sha256);
CREATE UNIQUE INDEX audit_chain ON audit_log(origin, seq);
CREATE INDEX rep_events_dossier ON rep_events(dossier, id);
CREATE UNIQUE INDEX rep_feed_holder_dossier ON rep_feed(holder, dossier);
CREATE INDEX rep_feed_holder_seq ON rep_feed(holder, seq);
CREATE INDEX rep_event_documents_sha ON rep_event_documents(sha256);
CREATE INDEX outbox_origin ON outbox(origin, origin_seq);
CREATE INDEX dvc_records_dossier ON dvc_records(ma_ho_so, id);
CREATE INDEX rep_audit_entity ON rep_audit(entity);
CREATE INDEX rep_events_kind ON rep_events(kind, id);
CREATE TRIGGER procedures_revision_insert AFTER INSERT ON procedures
                BEGIN UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER procedures_revision_update AFTER UPDATE ON procedures
                BEGIN UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1; END;
CREATE TRIGGER procedures_revision_delete AFTER DELETE ON procedures
                BEGIN UPDATE catalog_revision SET revision = revision + 1 WHERE id = 1; END;
COMMIT;
