SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;
SET default_tablespace = '';
SET default_table_access_method = heap;
CREATE TABLE govops_pre_seams.audit (
    id bigint NOT NULL,
    ts text NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    object_type text NOT NULL,
    object_ref text NOT NULL,
    before text,
    after text,
    prev_hash text NOT NULL,
    hash text NOT NULL
);
CREATE SEQUENCE govops_pre_seams.audit_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE govops_pre_seams.audit_id_seq OWNED BY govops_pre_seams.audit.id;
CREATE TABLE govops_pre_seams.free_block (
    container_id bigint NOT NULL,
    plen integer NOT NULL,
    net bytea NOT NULL
);
CREATE TABLE govops_pre_seams.ip_address (
    id bigint NOT NULL,
    vrf_id bigint NOT NULL,
    family integer NOT NULL,
    addr bytea NOT NULL,
    prefix_id bigint NOT NULL,
    hostname text,
    description text,
    status text DEFAULT 'active'::text NOT NULL,
    created_at text NOT NULL
);
CREATE SEQUENCE govops_pre_seams.ip_address_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE govops_pre_seams.ip_address_id_seq OWNED BY govops_pre_seams.ip_address.id;
CREATE TABLE govops_pre_seams.org_unit (
    id bigint NOT NULL,
    code text,
    name text NOT NULL,
    level text NOT NULL,
    parent_id bigint,
    path text NOT NULL,
    created_at text NOT NULL,
    CONSTRAINT org_unit_level_check CHECK ((level = ANY (ARRAY['city'::text, 'county'::text, 'town'::text, 'village'::text])))
);
CREATE SEQUENCE govops_pre_seams.org_unit_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE govops_pre_seams.org_unit_id_seq OWNED BY govops_pre_seams.org_unit.id;
CREATE TABLE govops_pre_seams.prefix (
    id bigint NOT NULL,
    vrf_id bigint NOT NULL,
    family integer NOT NULL,
    net bytea NOT NULL,
    plen integer NOT NULL,
    cidr text NOT NULL,
    parent_id bigint,
    status text NOT NULL,
    is_pool integer DEFAULT 0 NOT NULL,
    org_id bigint,
    purpose text,
    description text,
    quarantine_until text,
    created_at text NOT NULL,
    block cidr GENERATED ALWAYS AS ((cidr)::cidr) STORED,
    CONSTRAINT prefix_family_check CHECK ((family = ANY (ARRAY[4, 6]))),
    CONSTRAINT prefix_status_check CHECK ((status = ANY (ARRAY['container'::text, 'allocated'::text, 'reserved'::text, 'quarantine'::text])))
);
CREATE SEQUENCE govops_pre_seams.prefix_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE govops_pre_seams.prefix_id_seq OWNED BY govops_pre_seams.prefix.id;
CREATE TABLE govops_pre_seams.prefix_pair (
    v4_id bigint NOT NULL,
    v6_id bigint NOT NULL
);
CREATE TABLE govops_pre_seams.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    applied_at text NOT NULL
);
CREATE TABLE govops_pre_seams.setting (
    key text NOT NULL,
    value text NOT NULL
);
CREATE TABLE govops_pre_seams.vrf (
    id bigint NOT NULL,
    name text NOT NULL,
    rd text,
    description text,
    created_at text NOT NULL
);
CREATE SEQUENCE govops_pre_seams.vrf_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE govops_pre_seams.vrf_id_seq OWNED BY govops_pre_seams.vrf.id;
ALTER TABLE ONLY govops_pre_seams.audit ALTER COLUMN id SET DEFAULT nextval('govops_pre_seams.audit_id_seq'::regclass);
ALTER TABLE ONLY govops_pre_seams.ip_address ALTER COLUMN id SET DEFAULT nextval('govops_pre_seams.ip_address_id_seq'::regclass);
ALTER TABLE ONLY govops_pre_seams.org_unit ALTER COLUMN id SET DEFAULT nextval('govops_pre_seams.org_unit_id_seq'::regclass);
ALTER TABLE ONLY govops_pre_seams.prefix ALTER COLUMN id SET DEFAULT nextval('govops_pre_seams.prefix_id_seq'::regclass);
ALTER TABLE ONLY govops_pre_seams.vrf ALTER COLUMN id SET DEFAULT nextval('govops_pre_seams.vrf_id_seq'::regclass);
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (1, '2026-11-27T11:30:37.992483+00:00', 'root', 'org.add', 'org_unit', '441600000000', NULL, '{"code": "441600000000", "level": "city", "name": "河源市", "parent_code": null, "path": "河源市"}', '0000000000000000000000000000000000000000000000000000000000000000', '8d3730530cba12bc91c772c77a042cd5dc298dba01a8e608b5d9b51aa5e0089c');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (2, '2026-11-27T11:30:37.992483+00:00', 'root', 'org.add', 'org_unit', '441602000000', NULL, '{"code": "441602000000", "level": "county", "name": "源城区", "parent_code": "441600000000", "path": "河源市/源城区"}', '8d3730530cba12bc91c772c77a042cd5dc298dba01a8e608b5d9b51aa5e0089c', 'e91459f6fe5e0582f079a856527f379a4bf5ca6fa8acc78b1d8188d16faa2893');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (3, '2026-11-27T11:30:37.992483+00:00', 'root', 'org.add', 'org_unit', '441602001000', NULL, '{"code": "441602001000", "level": "town", "name": "上城街道", "parent_code": "441602000000", "path": "河源市/源城区/上城街道"}', 'e91459f6fe5e0582f079a856527f379a4bf5ca6fa8acc78b1d8188d16faa2893', 'e2a3100f776ed5581fb665180aaadb3b86c26e97532de796e5fce2476d59a38d');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (4, '2026-11-27T11:30:37.992483+00:00', 'root', 'org.add', 'org_unit', '441602002000', NULL, '{"code": "441602002000", "level": "town", "name": "新江街道", "parent_code": "441602000000", "path": "河源市/源城区/新江街道"}', 'e2a3100f776ed5581fb665180aaadb3b86c26e97532de796e5fce2476d59a38d', 'a36ce6af64257afc42aa4788189fa192bbeb5791f426f887950abe50e835c502');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (5, '2026-11-27T11:30:37.992483+00:00', 'root', 'org.add', 'org_unit', '441602001003', NULL, '{"code": "441602001003", "level": "village", "name": "源城区上城街道下城社区居民委员会", "parent_code": "441602001000", "path": "河源市/源城区/上城街道/源城区上城街道下城社区居民委员会"}', 'a36ce6af64257afc42aa4788189fa192bbeb5791f426f887950abe50e835c502', 'cf02a4c3dc77b43b99a847481ad4fecf7d4cb1f4c626612d53958105713baeaa');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (6, '2026-11-27T11:30:37.992483+00:00', 'root', 'org.add', 'org_unit', '441602001005', NULL, '{"code": "441602001005", "level": "village", "name": "源城区上城街道下角社区居民委员会", "parent_code": "441602001000", "path": "河源市/源城区/上城街道/源城区上城街道下角社区居民委员会"}', 'cf02a4c3dc77b43b99a847481ad4fecf7d4cb1f4c626612d53958105713baeaa', 'a7cced55dc562075ddc22613d1178b17e0ec21ddf1249c185443a511adcaddb9');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (7, '2026-11-27T11:30:37.992483+00:00', 'root', 'org.add', 'org_unit', '441602001006', NULL, '{"code": "441602001006", "level": "village", "name": "源城区上城街道公园社区居民委员会", "parent_code": "441602001000", "path": "河源市/源城区/上城街道/源城区上城街道公园社区居民委员会"}', 'a7cced55dc562075ddc22613d1178b17e0ec21ddf1249c185443a511adcaddb9', 'dd4ae4c238e6215d332cbf4dccab1c48984ff84d8146ddcbef2f50191677604f');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (8, '2026-11-27T11:30:37.992483+00:00', 'root', 'org.add', 'org_unit', '441602002001', NULL, '{"code": "441602002001", "level": "village", "name": "源城区新江街道城南社区居民委员会", "parent_code": "441602002000", "path": "河源市/源城区/新江街道/源城区新江街道城南社区居民委员会"}', 'dd4ae4c238e6215d332cbf4dccab1c48984ff84d8146ddcbef2f50191677604f', '0d0c2e1c7bd62984be375018393542f178967bb0d1be8be62cc242bbfb767d94');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (9, '2026-11-27T11:30:37.992483+00:00', 'root', 'org.add', 'org_unit', '441602002003', NULL, '{"code": "441602002003", "level": "village", "name": "源城区新江街道上角社区居民委员会", "parent_code": "441602002000", "path": "河源市/源城区/新江街道/源城区新江街道上角社区居民委员会"}', '0d0c2e1c7bd62984be375018393542f178967bb0d1be8be62cc242bbfb767d94', 'c359b4aa53e4241a6c538e1420c8ded1e9aabb6af68384426090263945a641b6');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (10, '2026-11-27T11:30:37.992483+00:00', 'root', 'org.add', 'org_unit', '441602002005', NULL, '{"code": "441602002005", "level": "village", "name": "源城区新江街道卫星社区居民委员会", "parent_code": "441602002000", "path": "河源市/源城区/新江街道/源城区新江街道卫星社区居民委员会"}', 'c359b4aa53e4241a6c538e1420c8ded1e9aabb6af68384426090263945a641b6', '777bfcb80ac97201d0b633047ca336c1331644de0f8c419fe13cd72ed28ba9fd');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (11, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.0.0/16', NULL, '{"family": 4, "org_code": "441600000000", "org_path": "河源市", "parent": null, "pool": true, "prefix": "10.64.0.0/16", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '777bfcb80ac97201d0b633047ca336c1331644de0f8c419fe13cd72ed28ba9fd', '8662ebdcc9da132de74bb6fe9409b6224958037b313344f38c77a2f062382366');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (12, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.0.0/25', NULL, '{"family": 4, "org_code": "441600000000", "org_path": "河源市", "parent": "10.64.0.0/16", "pool": false, "prefix": "10.64.0.0/25", "purpose": "core", "source": "plan", "status": "allocated", "vrf": "egov"}', '8662ebdcc9da132de74bb6fe9409b6224958037b313344f38c77a2f062382366', '008ae4d55184441547db0a2deb07e1d5097862b2e9f50103a01e9729e8024876');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (13, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.8.0/21', NULL, '{"family": 4, "org_code": "441602000000", "org_path": "河源市/源城区", "parent": "10.64.0.0/16", "pool": false, "prefix": "10.64.8.0/21", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '008ae4d55184441547db0a2deb07e1d5097862b2e9f50103a01e9729e8024876', '9803562d23c042543f32de39393de04c85e9f7124c4f8b4a4ce33696b8daefa2');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (14, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.8.0/24', NULL, '{"family": 4, "org_code": "441602000000", "org_path": "河源市/源城区", "parent": "10.64.8.0/21", "pool": false, "prefix": "10.64.8.0/24", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', '9803562d23c042543f32de39393de04c85e9f7124c4f8b4a4ce33696b8daefa2', '293243ac8e6aedb125227dee277aa8782adb472c6f7514c141bf300b019ba99f');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (15, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.10.0/23', NULL, '{"family": 4, "org_code": "441602001000", "org_path": "河源市/源城区/上城街道", "parent": "10.64.8.0/21", "pool": false, "prefix": "10.64.10.0/23", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '293243ac8e6aedb125227dee277aa8782adb472c6f7514c141bf300b019ba99f', '5364a7e53b0979846affc6aeff29f1234dbfaa6b60a817fe6e1f05331451f490');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (16, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.10.0/26', NULL, '{"family": 4, "org_code": "441602001000", "org_path": "河源市/源城区/上城街道", "parent": "10.64.10.0/23", "pool": false, "prefix": "10.64.10.0/26", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', '5364a7e53b0979846affc6aeff29f1234dbfaa6b60a817fe6e1f05331451f490', 'c94b0c9fa0dfb40a440341498728cc366a307b7bc781e56d88e3a20340d0016b');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (17, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.12.0/23', NULL, '{"family": 4, "org_code": "441602002000", "org_path": "河源市/源城区/新江街道", "parent": "10.64.8.0/21", "pool": false, "prefix": "10.64.12.0/23", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', 'c94b0c9fa0dfb40a440341498728cc366a307b7bc781e56d88e3a20340d0016b', '3dd0730f340210a5a7c37423c5460dab5188552427a0a1b525ceb5623c80c400');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (18, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.12.0/26', NULL, '{"family": 4, "org_code": "441602002000", "org_path": "河源市/源城区/新江街道", "parent": "10.64.12.0/23", "pool": false, "prefix": "10.64.12.0/26", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', '3dd0730f340210a5a7c37423c5460dab5188552427a0a1b525ceb5623c80c400', '6f6d73d5b23cfdbc68a67d569019ba7ccdaddb96c1cd6b9f6d4147ea5481168d');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (19, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.10.64/26', NULL, '{"family": 4, "org_code": "441602001003", "org_path": "河源市/源城区/上城街道/源城区上城街道下城社区居民委员会", "parent": "10.64.10.0/23", "pool": false, "prefix": "10.64.10.64/26", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '6f6d73d5b23cfdbc68a67d569019ba7ccdaddb96c1cd6b9f6d4147ea5481168d', 'f0767939006e99a907b13925e9308645089eb5ede533d2b8186191c9b583eda4');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (20, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.10.64/27', NULL, '{"family": 4, "org_code": "441602001003", "org_path": "河源市/源城区/上城街道/源城区上城街道下城社区居民委员会", "parent": "10.64.10.64/26", "pool": false, "prefix": "10.64.10.64/27", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', 'f0767939006e99a907b13925e9308645089eb5ede533d2b8186191c9b583eda4', 'c564f480471b3e9421e72005461c8d90e7e09dec9fa98bf0eacecd5eaca2b858');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (21, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.10.128/26', NULL, '{"family": 4, "org_code": "441602001005", "org_path": "河源市/源城区/上城街道/源城区上城街道下角社区居民委员会", "parent": "10.64.10.0/23", "pool": false, "prefix": "10.64.10.128/26", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', 'c564f480471b3e9421e72005461c8d90e7e09dec9fa98bf0eacecd5eaca2b858', '17cfb9d06775bf339f3869f4aa13c0d8391ec7f9cf9ca61df00cc90ecc4663e4');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (22, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.10.128/27', NULL, '{"family": 4, "org_code": "441602001005", "org_path": "河源市/源城区/上城街道/源城区上城街道下角社区居民委员会", "parent": "10.64.10.128/26", "pool": false, "prefix": "10.64.10.128/27", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', '17cfb9d06775bf339f3869f4aa13c0d8391ec7f9cf9ca61df00cc90ecc4663e4', '1def81931e5fe0db8a4870902789bcc162a0471ded2d277bae0a8eb648cabc8c');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (23, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.10.192/26', NULL, '{"family": 4, "org_code": "441602001006", "org_path": "河源市/源城区/上城街道/源城区上城街道公园社区居民委员会", "parent": "10.64.10.0/23", "pool": false, "prefix": "10.64.10.192/26", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '1def81931e5fe0db8a4870902789bcc162a0471ded2d277bae0a8eb648cabc8c', 'ccae6b0827293f26046d59556c1cbe9d47ef1ec1a83e3f0116ac2bd20b69f5ca');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (24, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.10.192/27', NULL, '{"family": 4, "org_code": "441602001006", "org_path": "河源市/源城区/上城街道/源城区上城街道公园社区居民委员会", "parent": "10.64.10.192/26", "pool": false, "prefix": "10.64.10.192/27", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', 'ccae6b0827293f26046d59556c1cbe9d47ef1ec1a83e3f0116ac2bd20b69f5ca', '4fb7faf18954bb13de24153cdbf7b499391011e0f037873b8b5e81f7ff495ad3');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (25, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.12.64/26', NULL, '{"family": 4, "org_code": "441602002001", "org_path": "河源市/源城区/新江街道/源城区新江街道城南社区居民委员会", "parent": "10.64.12.0/23", "pool": false, "prefix": "10.64.12.64/26", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '4fb7faf18954bb13de24153cdbf7b499391011e0f037873b8b5e81f7ff495ad3', 'c7e28f8c114ded6c1128ea5968e6cf4f24d0ecf597ac662948ac6ae12557f3b9');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (26, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.12.64/27', NULL, '{"family": 4, "org_code": "441602002001", "org_path": "河源市/源城区/新江街道/源城区新江街道城南社区居民委员会", "parent": "10.64.12.64/26", "pool": false, "prefix": "10.64.12.64/27", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', 'c7e28f8c114ded6c1128ea5968e6cf4f24d0ecf597ac662948ac6ae12557f3b9', '4d8a92cb3315d17d51c5c0fc8226fe9d209a7719dcb47ab0d03cbc63d4299cb2');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (27, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.12.128/26', NULL, '{"family": 4, "org_code": "441602002003", "org_path": "河源市/源城区/新江街道/源城区新江街道上角社区居民委员会", "parent": "10.64.12.0/23", "pool": false, "prefix": "10.64.12.128/26", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '4d8a92cb3315d17d51c5c0fc8226fe9d209a7719dcb47ab0d03cbc63d4299cb2', 'd3da9cf23af3e690ef79caef795a650babc3a7b602a93ba1dede8c8869fe985b');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (28, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.12.128/27', NULL, '{"family": 4, "org_code": "441602002003", "org_path": "河源市/源城区/新江街道/源城区新江街道上角社区居民委员会", "parent": "10.64.12.128/26", "pool": false, "prefix": "10.64.12.128/27", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', 'd3da9cf23af3e690ef79caef795a650babc3a7b602a93ba1dede8c8869fe985b', '8e1a79ddfc8f90a9d6d5ab574f207eae7ffb8b2e77006442e5fd173afb7bf5da');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (29, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.12.192/26', NULL, '{"family": 4, "org_code": "441602002005", "org_path": "河源市/源城区/新江街道/源城区新江街道卫星社区居民委员会", "parent": "10.64.12.0/23", "pool": false, "prefix": "10.64.12.192/26", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '8e1a79ddfc8f90a9d6d5ab574f207eae7ffb8b2e77006442e5fd173afb7bf5da', '2418e9d75e6e6abea704b924165105287d189e7133bb5d88bb740f7703d0a7d5');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (30, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '10.64.12.192/27', NULL, '{"family": 4, "org_code": "441602002005", "org_path": "河源市/源城区/新江街道/源城区新江街道卫星社区居民委员会", "parent": "10.64.12.192/26", "pool": false, "prefix": "10.64.12.192/27", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', '2418e9d75e6e6abea704b924165105287d189e7133bb5d88bb740f7703d0a7d5', '8c342e7ea5d4f880a78b573ed846be6b0c069969ee5f71b2ddec9ed829602f6a');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (31, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1000::/40', NULL, '{"family": 6, "org_code": "441600000000", "org_path": "河源市", "parent": null, "pool": true, "prefix": "2001:db8:1000::/40", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '8c342e7ea5d4f880a78b573ed846be6b0c069969ee5f71b2ddec9ed829602f6a', '918af23498a58a42fecfdbbc51f902df722b8c91ca9ddc18217e057cc8dfddda');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (32, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1000::/56', NULL, '{"family": 6, "org_code": "441600000000", "org_path": "河源市", "parent": "2001:db8:1000::/40", "pool": false, "prefix": "2001:db8:1000::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}', '918af23498a58a42fecfdbbc51f902df722b8c91ca9ddc18217e057cc8dfddda', '93add22211bdd9f161136998f163249b827eb412e3ac1753912deac386297a31');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (33, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1000:1::/64', NULL, '{"family": 6, "org_code": "441600000000", "org_path": "河源市", "parent": "2001:db8:1000::/56", "pool": false, "prefix": "2001:db8:1000:1::/64", "purpose": "core", "source": "plan", "status": "allocated", "vrf": "egov"}', '93add22211bdd9f161136998f163249b827eb412e3ac1753912deac386297a31', '842d1f44ddab58c1a7943da378373ed107d3b38b2acbd45cfdb563b9b7aa24cf');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (34, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1010::/44', NULL, '{"family": 6, "org_code": "441602000000", "org_path": "河源市/源城区", "parent": "2001:db8:1000::/40", "pool": false, "prefix": "2001:db8:1010::/44", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '842d1f44ddab58c1a7943da378373ed107d3b38b2acbd45cfdb563b9b7aa24cf', '658dcdd7ff40da39db0c86282e7a17c7f71f54b3e3f838a50ebc17cdcd902e2e');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (35, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1010::/56', NULL, '{"family": 6, "org_code": "441602000000", "org_path": "河源市/源城区", "parent": "2001:db8:1010::/44", "pool": false, "prefix": "2001:db8:1010::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}', '658dcdd7ff40da39db0c86282e7a17c7f71f54b3e3f838a50ebc17cdcd902e2e', '8327fdceb30990d1264a4613ffccb9796e33ca3221985e88f09222c3cfd868c6');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (36, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1010:2::/64', NULL, '{"family": 6, "org_code": "441602000000", "org_path": "河源市/源城区", "parent": "2001:db8:1010::/56", "pool": false, "prefix": "2001:db8:1010:2::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', '8327fdceb30990d1264a4613ffccb9796e33ca3221985e88f09222c3cfd868c6', 'fb34e9f7938213f000764b9a84deedaf2ce56c2c2f7a786469344abd3deebd52');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (37, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1011::/48', NULL, '{"family": 6, "org_code": "441602001000", "org_path": "河源市/源城区/上城街道", "parent": "2001:db8:1010::/44", "pool": false, "prefix": "2001:db8:1011::/48", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', 'fb34e9f7938213f000764b9a84deedaf2ce56c2c2f7a786469344abd3deebd52', '27170d286696524facf9f780bcff52c5d37a2a0219b6c93c7492525fada3126c');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (38, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1011::/56', NULL, '{"family": 6, "org_code": "441602001000", "org_path": "河源市/源城区/上城街道", "parent": "2001:db8:1011::/48", "pool": false, "prefix": "2001:db8:1011::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}', '27170d286696524facf9f780bcff52c5d37a2a0219b6c93c7492525fada3126c', '978c30af171d66ff8843e4915c3c88e5047f797f38a6e40a0c8f9dd0c8427d31');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (39, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1011:2::/64', NULL, '{"family": 6, "org_code": "441602001000", "org_path": "河源市/源城区/上城街道", "parent": "2001:db8:1011::/56", "pool": false, "prefix": "2001:db8:1011:2::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', '978c30af171d66ff8843e4915c3c88e5047f797f38a6e40a0c8f9dd0c8427d31', 'fd098b0fe28ae047ddeee19b0b1679ddd9ee79e1dcbe9606ad9f559ad200001b');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (40, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1012::/48', NULL, '{"family": 6, "org_code": "441602002000", "org_path": "河源市/源城区/新江街道", "parent": "2001:db8:1010::/44", "pool": false, "prefix": "2001:db8:1012::/48", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', 'fd098b0fe28ae047ddeee19b0b1679ddd9ee79e1dcbe9606ad9f559ad200001b', '768da8b56190495908b25e706602c6d27b5c4adf8d60e671765dca4e168da6a1');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (41, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1012::/56', NULL, '{"family": 6, "org_code": "441602002000", "org_path": "河源市/源城区/新江街道", "parent": "2001:db8:1012::/48", "pool": false, "prefix": "2001:db8:1012::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}', '768da8b56190495908b25e706602c6d27b5c4adf8d60e671765dca4e168da6a1', '6de6d585b388109160e746e7ab66672bc6a7e1cee1e13e8c63abdeb60f4bca15');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (42, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1012:2::/64', NULL, '{"family": 6, "org_code": "441602002000", "org_path": "河源市/源城区/新江街道", "parent": "2001:db8:1012::/56", "pool": false, "prefix": "2001:db8:1012:2::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', '6de6d585b388109160e746e7ab66672bc6a7e1cee1e13e8c63abdeb60f4bca15', '5c018d9f29d83d9347545a04285cd26c0249f9386f645a28486adb6e60b4140e');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (43, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1011:1000::/52', NULL, '{"family": 6, "org_code": "441602001003", "org_path": "河源市/源城区/上城街道/源城区上城街道下城社区居民委员会", "parent": "2001:db8:1011::/48", "pool": false, "prefix": "2001:db8:1011:1000::/52", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '5c018d9f29d83d9347545a04285cd26c0249f9386f645a28486adb6e60b4140e', '02e3bed95c07d624d963bf76a5dadfc27e86377e2669e801362a70dbb65486bc');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (44, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1011:1000::/56', NULL, '{"family": 6, "org_code": "441602001003", "org_path": "河源市/源城区/上城街道/源城区上城街道下城社区居民委员会", "parent": "2001:db8:1011:1000::/52", "pool": false, "prefix": "2001:db8:1011:1000::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}', '02e3bed95c07d624d963bf76a5dadfc27e86377e2669e801362a70dbb65486bc', 'c1c32941c0906118c9886570c20badb2111e3c1e1519b3134e6c36f1ddc41ca5');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (45, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1011:1002::/64', NULL, '{"family": 6, "org_code": "441602001003", "org_path": "河源市/源城区/上城街道/源城区上城街道下城社区居民委员会", "parent": "2001:db8:1011:1000::/56", "pool": false, "prefix": "2001:db8:1011:1002::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', 'c1c32941c0906118c9886570c20badb2111e3c1e1519b3134e6c36f1ddc41ca5', '74277a03f170debc101ba1ec42befe5f9a28cbf645889f756d274f194c740d91');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (46, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1011:2000::/52', NULL, '{"family": 6, "org_code": "441602001005", "org_path": "河源市/源城区/上城街道/源城区上城街道下角社区居民委员会", "parent": "2001:db8:1011::/48", "pool": false, "prefix": "2001:db8:1011:2000::/52", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '74277a03f170debc101ba1ec42befe5f9a28cbf645889f756d274f194c740d91', '1cfeb4a4b50c677e7cecf58cc1d736db042c29678e7399f7b003848a1c8ca731');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (47, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1011:2000::/56', NULL, '{"family": 6, "org_code": "441602001005", "org_path": "河源市/源城区/上城街道/源城区上城街道下角社区居民委员会", "parent": "2001:db8:1011:2000::/52", "pool": false, "prefix": "2001:db8:1011:2000::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}', '1cfeb4a4b50c677e7cecf58cc1d736db042c29678e7399f7b003848a1c8ca731', 'd46f6c1c8bbd22977deb7cf8249fd0e5c7863da0861b69d564c9f002d52dc3c0');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (48, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1011:2002::/64', NULL, '{"family": 6, "org_code": "441602001005", "org_path": "河源市/源城区/上城街道/源城区上城街道下角社区居民委员会", "parent": "2001:db8:1011:2000::/56", "pool": false, "prefix": "2001:db8:1011:2002::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', 'd46f6c1c8bbd22977deb7cf8249fd0e5c7863da0861b69d564c9f002d52dc3c0', '6020319af89197df17947aa3ca366d1839736b5e10af8a03365289ad83bd8995');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (65, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.pair', 'prefix', '10.64.10.64/27', NULL, '{"v4": "10.64.10.64/27", "v6": "2001:db8:1011:1002::/64"}', 'bc2c453705561249eb3e1097ce12dde4226437171ede2a1eda673a855585a0e8', '63d7f15c3270118efa0bc83acca0149bb099d619c7215845803252de1e2c13ef');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (49, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1011:3000::/52', NULL, '{"family": 6, "org_code": "441602001006", "org_path": "河源市/源城区/上城街道/源城区上城街道公园社区居民委员会", "parent": "2001:db8:1011::/48", "pool": false, "prefix": "2001:db8:1011:3000::/52", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '6020319af89197df17947aa3ca366d1839736b5e10af8a03365289ad83bd8995', '52c30d820aa5db6c5bfb48c638b737a5134f0f178a2b90db0ed47e122f7bac22');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (50, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1011:3000::/56', NULL, '{"family": 6, "org_code": "441602001006", "org_path": "河源市/源城区/上城街道/源城区上城街道公园社区居民委员会", "parent": "2001:db8:1011:3000::/52", "pool": false, "prefix": "2001:db8:1011:3000::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}', '52c30d820aa5db6c5bfb48c638b737a5134f0f178a2b90db0ed47e122f7bac22', '1446397229f863a52776fa23400c02a611e8ec84266a73b21ac0c88d6aa9558e');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (51, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1011:3002::/64', NULL, '{"family": 6, "org_code": "441602001006", "org_path": "河源市/源城区/上城街道/源城区上城街道公园社区居民委员会", "parent": "2001:db8:1011:3000::/56", "pool": false, "prefix": "2001:db8:1011:3002::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', '1446397229f863a52776fa23400c02a611e8ec84266a73b21ac0c88d6aa9558e', '3e82c1ff39f1fc1f83ad1f067acea8b8d7bd94169f9b68c6ae8ab044df23e93c');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (52, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1012:1000::/52', NULL, '{"family": 6, "org_code": "441602002001", "org_path": "河源市/源城区/新江街道/源城区新江街道城南社区居民委员会", "parent": "2001:db8:1012::/48", "pool": false, "prefix": "2001:db8:1012:1000::/52", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '3e82c1ff39f1fc1f83ad1f067acea8b8d7bd94169f9b68c6ae8ab044df23e93c', '717423dd8704e5b067d49cf82a1dcd1645a387f648e60b58638226e34501f1f5');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (53, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1012:1000::/56', NULL, '{"family": 6, "org_code": "441602002001", "org_path": "河源市/源城区/新江街道/源城区新江街道城南社区居民委员会", "parent": "2001:db8:1012:1000::/52", "pool": false, "prefix": "2001:db8:1012:1000::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}', '717423dd8704e5b067d49cf82a1dcd1645a387f648e60b58638226e34501f1f5', '6589430afabc72a56d4f567432033e2439f9f5f8a6937ceeca35453413243ed4');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (54, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1012:1002::/64', NULL, '{"family": 6, "org_code": "441602002001", "org_path": "河源市/源城区/新江街道/源城区新江街道城南社区居民委员会", "parent": "2001:db8:1012:1000::/56", "pool": false, "prefix": "2001:db8:1012:1002::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', '6589430afabc72a56d4f567432033e2439f9f5f8a6937ceeca35453413243ed4', '3841c08ea05c261774428709bdd7a9b72528f79df54a08a9c4477d98c39309df');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (55, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1012:2000::/52', NULL, '{"family": 6, "org_code": "441602002003", "org_path": "河源市/源城区/新江街道/源城区新江街道上角社区居民委员会", "parent": "2001:db8:1012::/48", "pool": false, "prefix": "2001:db8:1012:2000::/52", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '3841c08ea05c261774428709bdd7a9b72528f79df54a08a9c4477d98c39309df', 'b5b497a4357676cae9bbc3defc9920a0dd7cb7f203636e2a3bac5a215ea10cb5');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (56, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1012:2000::/56', NULL, '{"family": 6, "org_code": "441602002003", "org_path": "河源市/源城区/新江街道/源城区新江街道上角社区居民委员会", "parent": "2001:db8:1012:2000::/52", "pool": false, "prefix": "2001:db8:1012:2000::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}', 'b5b497a4357676cae9bbc3defc9920a0dd7cb7f203636e2a3bac5a215ea10cb5', 'add7eda3ca4239257e68d320c2f76de9cb49f5661c4916ee2cd032812dcc24d5');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (57, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1012:2002::/64', NULL, '{"family": 6, "org_code": "441602002003", "org_path": "河源市/源城区/新江街道/源城区新江街道上角社区居民委员会", "parent": "2001:db8:1012:2000::/56", "pool": false, "prefix": "2001:db8:1012:2002::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', 'add7eda3ca4239257e68d320c2f76de9cb49f5661c4916ee2cd032812dcc24d5', '4eab9f56117d6ec81c060b4ecb4de4596b0b0bfc87f31aa1d3a3a8a5d188b757');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (58, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1012:3000::/52', NULL, '{"family": 6, "org_code": "441602002005", "org_path": "河源市/源城区/新江街道/源城区新江街道卫星社区居民委员会", "parent": "2001:db8:1012::/48", "pool": false, "prefix": "2001:db8:1012:3000::/52", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}', '4eab9f56117d6ec81c060b4ecb4de4596b0b0bfc87f31aa1d3a3a8a5d188b757', 'ca0094c62626208c36ab6f57fd55c2468d3b5ae7ed13eca65729b568a5f25290');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (59, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1012:3000::/56', NULL, '{"family": 6, "org_code": "441602002005", "org_path": "河源市/源城区/新江街道/源城区新江街道卫星社区居民委员会", "parent": "2001:db8:1012:3000::/52", "pool": false, "prefix": "2001:db8:1012:3000::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}', 'ca0094c62626208c36ab6f57fd55c2468d3b5ae7ed13eca65729b568a5f25290', '3899ce2ac3804018754518b9389359aceb06989dfa887fbc43e79108d11572c0');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (60, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.add', 'prefix', '2001:db8:1012:3002::/64', NULL, '{"family": 6, "org_code": "441602002005", "org_path": "河源市/源城区/新江街道/源城区新江街道卫星社区居民委员会", "parent": "2001:db8:1012:3000::/56", "pool": false, "prefix": "2001:db8:1012:3002::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}', '3899ce2ac3804018754518b9389359aceb06989dfa887fbc43e79108d11572c0', 'fd8a7a7fea8f0b2309471fa35327cb68fda23e62ecb91e032ec949bd3e1e9cc8');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (61, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.pair', 'prefix', '10.64.0.0/25', NULL, '{"v4": "10.64.0.0/25", "v6": "2001:db8:1000:1::/64"}', 'fd8a7a7fea8f0b2309471fa35327cb68fda23e62ecb91e032ec949bd3e1e9cc8', '78c2e4734f1cb081e6acc89a8003353fa041f1920b1457ecc7b535a2a6a23e44');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (62, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.pair', 'prefix', '10.64.8.0/24', NULL, '{"v4": "10.64.8.0/24", "v6": "2001:db8:1010:2::/64"}', '78c2e4734f1cb081e6acc89a8003353fa041f1920b1457ecc7b535a2a6a23e44', '831255fa9bae9ad77927e563664080eb22acd9af8c33c1568ed38973aa0e4eaf');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (63, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.pair', 'prefix', '10.64.10.0/26', NULL, '{"v4": "10.64.10.0/26", "v6": "2001:db8:1011:2::/64"}', '831255fa9bae9ad77927e563664080eb22acd9af8c33c1568ed38973aa0e4eaf', '362dc7f4272df9ecbb4c8e59ec595f6a7172024a2db14f2781468f48dba49e4e');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (64, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.pair', 'prefix', '10.64.12.0/26', NULL, '{"v4": "10.64.12.0/26", "v6": "2001:db8:1012:2::/64"}', '362dc7f4272df9ecbb4c8e59ec595f6a7172024a2db14f2781468f48dba49e4e', 'bc2c453705561249eb3e1097ce12dde4226437171ede2a1eda673a855585a0e8');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (66, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.pair', 'prefix', '10.64.10.128/27', NULL, '{"v4": "10.64.10.128/27", "v6": "2001:db8:1011:2002::/64"}', '63d7f15c3270118efa0bc83acca0149bb099d619c7215845803252de1e2c13ef', '4ad51c6c58b52d8a439ec67c3dd518a1009efc90fd5d8fc31ba41729c335bcc6');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (67, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.pair', 'prefix', '10.64.10.192/27', NULL, '{"v4": "10.64.10.192/27", "v6": "2001:db8:1011:3002::/64"}', '4ad51c6c58b52d8a439ec67c3dd518a1009efc90fd5d8fc31ba41729c335bcc6', '713ffe9a56124daa2c1f6cbc86176f62661405f3f70aa0b90fe7051d26964f24');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (68, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.pair', 'prefix', '10.64.12.64/27', NULL, '{"v4": "10.64.12.64/27", "v6": "2001:db8:1012:1002::/64"}', '713ffe9a56124daa2c1f6cbc86176f62661405f3f70aa0b90fe7051d26964f24', '3f23e76682eea119dc1847c260985690775b6317cbbc80011ab4a99172e5f2eb');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (69, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.pair', 'prefix', '10.64.12.128/27', NULL, '{"v4": "10.64.12.128/27", "v6": "2001:db8:1012:2002::/64"}', '3f23e76682eea119dc1847c260985690775b6317cbbc80011ab4a99172e5f2eb', '7471fda539b5caa2eb98ed9aa5af8cf8ec509f3f845c66b40fd2f940b4a91d97');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (70, '2026-11-27T11:30:38.019712+00:00', 'root', 'prefix.pair', 'prefix', '10.64.12.192/27', NULL, '{"v4": "10.64.12.192/27", "v6": "2001:db8:1012:3002::/64"}', '7471fda539b5caa2eb98ed9aa5af8cf8ec509f3f845c66b40fd2f940b4a91d97', 'f406dfecef40b8798d99f6f68fd79113179194828eb9c3356ff9fa190896c66d');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (71, '2026-11-27T11:30:38.051143+00:00', 'root', 'vrf.add', 'vrf', 'video', NULL, '{"description": "视频专网", "name": "video", "rd": null}', 'f406dfecef40b8798d99f6f68fd79113179194828eb9c3356ff9fa190896c66d', 'c1f7aba24d07ca7a46ca1bfd653ac451c2088a31a7428aab5452e0e0b2c9b145');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (72, '2026-11-27T11:30:38.054640+00:00', 'root', 'prefix.add', 'prefix', '172.16.0.0/16', NULL, '{"description": null, "family": 4, "org_code": null, "org_level": null, "org_path": null, "parent": null, "pool": true, "prefix": "172.16.0.0/16", "purpose": null, "quarantine_until": null, "status": "container", "vrf": "video"}', 'c1f7aba24d07ca7a46ca1bfd653ac451c2088a31a7428aab5452e0e0b2c9b145', '5a51893632b7fe2bd4bbbca7961cd60687b1f1dfcd3710643931fbe6054b84f7');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (73, '2026-11-27T11:30:38.059543+00:00', 'root', 'prefix.add', 'prefix', '172.16.0.0/24', NULL, '{"description": null, "family": 4, "org_code": null, "org_level": null, "org_path": null, "parent": "172.16.0.0/16", "pool": false, "prefix": "172.16.0.0/24", "purpose": "cameras", "quarantine_until": null, "status": "allocated", "vrf": "video"}', '5a51893632b7fe2bd4bbbca7961cd60687b1f1dfcd3710643931fbe6054b84f7', '9c988ff985f7e7819689742a741cfca4124d9dea646da68df1f30e50bbb39408');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (74, '2026-11-27T11:30:38.066450+00:00', 'root', 'setting.set', 'setting', 'ipam.quarantine_days', '{"value": null}', '{"value": "3"}', '9c988ff985f7e7819689742a741cfca4124d9dea646da68df1f30e50bbb39408', '48dacdc7df97fe5213570506cbc8d18181737aaa5df553a3ba999d522e4e85d5');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (75, '2026-11-27T11:30:38.069005+00:00', 'root', 'ip.assign', 'ip_address', '172.16.0.2', NULL, '{"address": "172.16.0.2", "description": null, "hostname": "cam-01", "prefix": "172.16.0.0/24", "status": "active", "vrf": "video"}', '48dacdc7df97fe5213570506cbc8d18181737aaa5df553a3ba999d522e4e85d5', 'c692a8829e8dda091b62bac0ca90dda7bea040334a8aa550265a9488afa5f419');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (76, '2026-11-27T11:30:38.069005+00:00', 'root', 'ip.assign', 'ip_address', '172.16.0.3', NULL, '{"address": "172.16.0.3", "description": null, "hostname": "cam-01", "prefix": "172.16.0.0/24", "status": "active", "vrf": "video"}', 'c692a8829e8dda091b62bac0ca90dda7bea040334a8aa550265a9488afa5f419', 'c46c1d352d3adf5662b2c8b590471b314c054ed2e28d9a5186fa4714c5ab0539');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (77, '2026-11-27T11:30:38.073783+00:00', 'root', 'ip.remove', 'prefix', '172.16.0.0/24', '{"addresses": 2}', NULL, 'c46c1d352d3adf5662b2c8b590471b314c054ed2e28d9a5186fa4714c5ab0539', '84497edc319a89bb26f949a545b85fc91f73b86d490a7eeac815080770779e2f');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (78, '2026-11-27T11:30:38.073783+00:00', 'root', 'prefix.release', 'prefix', '172.16.0.0/24', '{"description": null, "family": 4, "org_code": null, "org_level": null, "org_path": null, "parent": "172.16.0.0/16", "pool": false, "prefix": "172.16.0.0/24", "purpose": "cameras", "quarantine_until": null, "status": "allocated", "vrf": "video"}', '{"description": null, "family": 4, "org_code": null, "org_level": null, "org_path": null, "parent": "172.16.0.0/16", "pool": false, "prefix": "172.16.0.0/24", "purpose": null, "quarantine_until": "2026-11-30T11:30:38.073783+00:00", "status": "quarantine", "vrf": "video"}', '84497edc319a89bb26f949a545b85fc91f73b86d490a7eeac815080770779e2f', '4d147e750af21a10a2ccc2acc1cb0d0fd7e041d5b4ef7aa54b1e7116053f4a08');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (79, '2026-11-27T11:30:38.076018+00:00', 'root', 'prefix.add', 'prefix', '172.16.1.0/26', NULL, '{"description": "spare", "family": 4, "org_code": null, "org_level": null, "org_path": null, "parent": "172.16.0.0/16", "pool": false, "prefix": "172.16.1.0/26", "purpose": null, "quarantine_until": null, "status": "allocated", "vrf": "video"}', '4d147e750af21a10a2ccc2acc1cb0d0fd7e041d5b4ef7aa54b1e7116053f4a08', '006653d30ae91afeb30cf91c12c29d5e15d32671eb971c26cc08c4aed3794acd');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (80, '2026-11-27T11:30:38.079844+00:00', 'root', 'prefix.add', 'prefix', '172.16.1.64/26', NULL, '{"description": "nvr", "family": 4, "org_code": null, "org_level": null, "org_path": null, "parent": "172.16.0.0/16", "pool": false, "prefix": "172.16.1.64/26", "purpose": null, "quarantine_until": null, "status": "allocated", "vrf": "video"}', '006653d30ae91afeb30cf91c12c29d5e15d32671eb971c26cc08c4aed3794acd', '586213620694f3b03c4b17feb2f92074e7dfe94e9edfb41f41e27b7050844f1c');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (81, '2026-11-27T11:30:38.085169+00:00', 'root', 'ip.assign', 'ip_address', '172.16.1.66', NULL, '{"address": "172.16.1.66", "description": null, "hostname": "nvr-01", "prefix": "172.16.1.64/26", "status": "active", "vrf": "video"}', '586213620694f3b03c4b17feb2f92074e7dfe94e9edfb41f41e27b7050844f1c', 'a8215f20c89902f2183432105fb9c1d0f6b586fa545d8c531eee968874813729');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (82, '2026-11-27T11:30:38.085169+00:00', 'root', 'ip.assign', 'ip_address', '172.16.1.67', NULL, '{"address": "172.16.1.67", "description": null, "hostname": "nvr-01", "prefix": "172.16.1.64/26", "status": "active", "vrf": "video"}', 'a8215f20c89902f2183432105fb9c1d0f6b586fa545d8c531eee968874813729', '99e8cd25d6518653a9d6c3ec15031a95f18edb70fa15972325d4c3392f8e53b7');
INSERT INTO govops_pre_seams.audit (id, ts, actor, action, object_type, object_ref, before, after, prev_hash, hash) VALUES (83, '2026-11-27T11:30:38.085169+00:00', 'root', 'ip.assign', 'ip_address', '172.16.1.68', NULL, '{"address": "172.16.1.68", "description": null, "hostname": "nvr-01", "prefix": "172.16.1.64/26", "status": "active", "vrf": "video"}', '99e8cd25d6518653a9d6c3ec15031a95f18edb70fa15972325d4c3392f8e53b7', 'f58f824f64d3c312cdb0f611a4b2a259cb3093c4606fac686b8e9bc6bd4345a7');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (1, 17, '\x0000000000000000000000000a408000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (1, 18, '\x0000000000000000000000000a404000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (1, 19, '\x0000000000000000000000000a402000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (1, 20, '\x0000000000000000000000000a401000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (1, 22, '\x0000000000000000000000000a400400');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (1, 23, '\x0000000000000000000000000a400200');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (1, 24, '\x0000000000000000000000000a400100');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (1, 25, '\x0000000000000000000000000a400080');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (2, 25, '\x0000000000000000000000000a400000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (3, 23, '\x0000000000000000000000000a400e00');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (3, 24, '\x0000000000000000000000000a400900');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (4, 24, '\x0000000000000000000000000a400800');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (5, 24, '\x0000000000000000000000000a400b00');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (6, 26, '\x0000000000000000000000000a400a00');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (7, 24, '\x0000000000000000000000000a400d00');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (8, 26, '\x0000000000000000000000000a400c00');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (9, 27, '\x0000000000000000000000000a400a60');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (10, 27, '\x0000000000000000000000000a400a40');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (11, 27, '\x0000000000000000000000000a400aa0');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (12, 27, '\x0000000000000000000000000a400a80');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (13, 27, '\x0000000000000000000000000a400ae0');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (14, 27, '\x0000000000000000000000000a400ac0');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (15, 27, '\x0000000000000000000000000a400c60');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (16, 27, '\x0000000000000000000000000a400c40');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (17, 27, '\x0000000000000000000000000a400ca0');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (18, 27, '\x0000000000000000000000000a400c80');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (19, 27, '\x0000000000000000000000000a400ce0');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (20, 27, '\x0000000000000000000000000a400cc0');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 41, '\x20010db8108000000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 42, '\x20010db8104000000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 43, '\x20010db8102000000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 45, '\x20010db8100800000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 46, '\x20010db8100400000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 47, '\x20010db8100200000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 48, '\x20010db8100100000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 49, '\x20010db8100080000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 50, '\x20010db8100040000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 51, '\x20010db8100020000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 52, '\x20010db8100010000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 53, '\x20010db8100008000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 54, '\x20010db8100004000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 55, '\x20010db8100002000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (21, 56, '\x20010db8100001000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (22, 57, '\x20010db8100000800000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (22, 58, '\x20010db8100000400000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (22, 59, '\x20010db8100000200000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (22, 60, '\x20010db8100000100000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (22, 61, '\x20010db8100000080000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (22, 62, '\x20010db8100000040000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (22, 63, '\x20010db8100000020000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (22, 64, '\x20010db8100000000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (23, 64, '\x20010db8100000010000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (24, 45, '\x20010db8101800000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (24, 46, '\x20010db8101400000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (24, 48, '\x20010db8101300000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (24, 49, '\x20010db8101080000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (24, 50, '\x20010db8101040000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (24, 51, '\x20010db8101020000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (24, 52, '\x20010db8101010000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (24, 53, '\x20010db8101008000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (24, 54, '\x20010db8101004000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (24, 55, '\x20010db8101002000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (24, 56, '\x20010db8101001000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (25, 57, '\x20010db8101000800000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (25, 58, '\x20010db8101000400000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (25, 59, '\x20010db8101000200000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (25, 60, '\x20010db8101000100000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (25, 61, '\x20010db8101000080000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (25, 62, '\x20010db8101000040000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (25, 63, '\x20010db8101000000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (25, 64, '\x20010db8101000030000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (26, 64, '\x20010db8101000020000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (27, 49, '\x20010db8101180000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (27, 50, '\x20010db8101140000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (27, 53, '\x20010db8101108000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (27, 54, '\x20010db8101104000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (27, 55, '\x20010db8101102000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (27, 56, '\x20010db8101101000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (28, 57, '\x20010db8101100800000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (28, 58, '\x20010db8101100400000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (28, 59, '\x20010db8101100200000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (28, 60, '\x20010db8101100100000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (28, 61, '\x20010db8101100080000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (28, 62, '\x20010db8101100040000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (28, 63, '\x20010db8101100000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (28, 64, '\x20010db8101100030000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (29, 64, '\x20010db8101100020000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (30, 49, '\x20010db8101280000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (30, 50, '\x20010db8101240000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (30, 53, '\x20010db8101208000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (30, 54, '\x20010db8101204000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (30, 55, '\x20010db8101202000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (30, 56, '\x20010db8101201000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (31, 57, '\x20010db8101200800000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (31, 58, '\x20010db8101200400000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (31, 59, '\x20010db8101200200000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (31, 60, '\x20010db8101200100000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (31, 61, '\x20010db8101200080000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (31, 62, '\x20010db8101200040000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (31, 63, '\x20010db8101200000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (31, 64, '\x20010db8101200030000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (32, 64, '\x20010db8101200020000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (33, 53, '\x20010db8101118000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (33, 54, '\x20010db8101114000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (33, 55, '\x20010db8101112000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (33, 56, '\x20010db8101111000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (34, 57, '\x20010db8101110800000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (34, 58, '\x20010db8101110400000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (34, 59, '\x20010db8101110200000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (34, 60, '\x20010db8101110100000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (34, 61, '\x20010db8101110080000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (34, 62, '\x20010db8101110040000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (34, 63, '\x20010db8101110000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (34, 64, '\x20010db8101110030000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (35, 64, '\x20010db8101110020000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (36, 53, '\x20010db8101128000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (36, 54, '\x20010db8101124000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (36, 55, '\x20010db8101122000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (36, 56, '\x20010db8101121000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (37, 57, '\x20010db8101120800000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (37, 58, '\x20010db8101120400000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (37, 59, '\x20010db8101120200000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (37, 60, '\x20010db8101120100000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (37, 61, '\x20010db8101120080000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (37, 62, '\x20010db8101120040000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (37, 63, '\x20010db8101120000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (37, 64, '\x20010db8101120030000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (38, 64, '\x20010db8101120020000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (39, 53, '\x20010db8101138000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (39, 54, '\x20010db8101134000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (39, 55, '\x20010db8101132000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (39, 56, '\x20010db8101131000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (40, 57, '\x20010db8101130800000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (40, 58, '\x20010db8101130400000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (40, 59, '\x20010db8101130200000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (40, 60, '\x20010db8101130100000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (40, 61, '\x20010db8101130080000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (40, 62, '\x20010db8101130040000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (40, 63, '\x20010db8101130000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (40, 64, '\x20010db8101130030000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (41, 64, '\x20010db8101130020000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (42, 53, '\x20010db8101218000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (42, 54, '\x20010db8101214000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (42, 55, '\x20010db8101212000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (42, 56, '\x20010db8101211000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (43, 57, '\x20010db8101210800000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (43, 58, '\x20010db8101210400000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (43, 59, '\x20010db8101210200000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (43, 60, '\x20010db8101210100000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (43, 61, '\x20010db8101210080000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (43, 62, '\x20010db8101210040000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (43, 63, '\x20010db8101210000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (43, 64, '\x20010db8101210030000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (44, 64, '\x20010db8101210020000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (45, 53, '\x20010db8101228000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (45, 54, '\x20010db8101224000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (45, 55, '\x20010db8101222000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (45, 56, '\x20010db8101221000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (46, 57, '\x20010db8101220800000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (46, 58, '\x20010db8101220400000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (46, 59, '\x20010db8101220200000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (46, 60, '\x20010db8101220100000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (46, 61, '\x20010db8101220080000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (46, 62, '\x20010db8101220040000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (46, 63, '\x20010db8101220000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (46, 64, '\x20010db8101220030000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (47, 64, '\x20010db8101220020000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (48, 53, '\x20010db8101238000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (48, 54, '\x20010db8101234000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (48, 55, '\x20010db8101232000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (48, 56, '\x20010db8101231000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (49, 57, '\x20010db8101230800000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (49, 58, '\x20010db8101230400000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (49, 59, '\x20010db8101230200000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (49, 60, '\x20010db8101230100000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (49, 61, '\x20010db8101230080000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (49, 62, '\x20010db8101230040000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (49, 63, '\x20010db8101230000000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (49, 64, '\x20010db8101230030000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (50, 64, '\x20010db8101230020000000000000000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (51, 17, '\x000000000000000000000000ac108000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (51, 18, '\x000000000000000000000000ac104000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (51, 19, '\x000000000000000000000000ac102000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (51, 20, '\x000000000000000000000000ac101000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (51, 21, '\x000000000000000000000000ac100800');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (51, 22, '\x000000000000000000000000ac100400');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (51, 23, '\x000000000000000000000000ac100200');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (52, 24, '\x000000000000000000000000ac100000');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (51, 25, '\x000000000000000000000000ac100180');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (53, 26, '\x000000000000000000000000ac100100');
INSERT INTO govops_pre_seams.free_block (container_id, plen, net) VALUES (54, 26, '\x000000000000000000000000ac100140');
INSERT INTO govops_pre_seams.ip_address (id, vrf_id, family, addr, prefix_id, hostname, description, status, created_at) VALUES (3, 2, 4, '\x000000000000000000000000ac100142', 54, 'nvr-01', NULL, 'active', '2026-11-27T11:30:38.085169+00:00');
INSERT INTO govops_pre_seams.ip_address (id, vrf_id, family, addr, prefix_id, hostname, description, status, created_at) VALUES (4, 2, 4, '\x000000000000000000000000ac100143', 54, 'nvr-01', NULL, 'active', '2026-11-27T11:30:38.085169+00:00');
INSERT INTO govops_pre_seams.ip_address (id, vrf_id, family, addr, prefix_id, hostname, description, status, created_at) VALUES (5, 2, 4, '\x000000000000000000000000ac100144', 54, 'nvr-01', NULL, 'active', '2026-11-27T11:30:38.085169+00:00');
INSERT INTO govops_pre_seams.org_unit (id, code, name, level, parent_id, path, created_at) VALUES (1, '441600000000', '河源市', 'city', NULL, '河源市', '2026-11-27T11:30:37.992483+00:00');
INSERT INTO govops_pre_seams.org_unit (id, code, name, level, parent_id, path, created_at) VALUES (2, '441602000000', '源城区', 'county', 1, '河源市/源城区', '2026-11-27T11:30:37.992483+00:00');
INSERT INTO govops_pre_seams.org_unit (id, code, name, level, parent_id, path, created_at) VALUES (3, '441602001000', '上城街道', 'town', 2, '河源市/源城区/上城街道', '2026-11-27T11:30:37.992483+00:00');
INSERT INTO govops_pre_seams.org_unit (id, code, name, level, parent_id, path, created_at) VALUES (4, '441602002000', '新江街道', 'town', 2, '河源市/源城区/新江街道', '2026-11-27T11:30:37.992483+00:00');
INSERT INTO govops_pre_seams.org_unit (id, code, name, level, parent_id, path, created_at) VALUES (5, '441602001003', '源城区上城街道下城社区居民委员会', 'village', 3, '河源市/源城区/上城街道/源城区上城街道下城社区居民委员会', '2026-11-27T11:30:37.992483+00:00');
INSERT INTO govops_pre_seams.org_unit (id, code, name, level, parent_id, path, created_at) VALUES (6, '441602001005', '源城区上城街道下角社区居民委员会', 'village', 3, '河源市/源城区/上城街道/源城区上城街道下角社区居民委员会', '2026-11-27T11:30:37.992483+00:00');
INSERT INTO govops_pre_seams.org_unit (id, code, name, level, parent_id, path, created_at) VALUES (7, '441602001006', '源城区上城街道公园社区居民委员会', 'village', 3, '河源市/源城区/上城街道/源城区上城街道公园社区居民委员会', '2026-11-27T11:30:37.992483+00:00');
INSERT INTO govops_pre_seams.org_unit (id, code, name, level, parent_id, path, created_at) VALUES (8, '441602002001', '源城区新江街道城南社区居民委员会', 'village', 4, '河源市/源城区/新江街道/源城区新江街道城南社区居民委员会', '2026-11-27T11:30:37.992483+00:00');
INSERT INTO govops_pre_seams.org_unit (id, code, name, level, parent_id, path, created_at) VALUES (9, '441602002003', '源城区新江街道上角社区居民委员会', 'village', 4, '河源市/源城区/新江街道/源城区新江街道上角社区居民委员会', '2026-11-27T11:30:37.992483+00:00');
INSERT INTO govops_pre_seams.org_unit (id, code, name, level, parent_id, path, created_at) VALUES (10, '441602002005', '源城区新江街道卫星社区居民委员会', 'village', 4, '河源市/源城区/新江街道/源城区新江街道卫星社区居民委员会', '2026-11-27T11:30:37.992483+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (1, 1, 4, '\x0000000000000000000000000a400000', 16, '10.64.0.0/16', NULL, 'container', 1, 1, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (2, 1, 4, '\x0000000000000000000000000a400000', 25, '10.64.0.0/25', 1, 'allocated', 0, 1, 'core', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (3, 1, 4, '\x0000000000000000000000000a400800', 21, '10.64.8.0/21', 1, 'container', 0, 2, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (4, 1, 4, '\x0000000000000000000000000a400800', 24, '10.64.8.0/24', 3, 'allocated', 0, 2, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (5, 1, 4, '\x0000000000000000000000000a400a00', 23, '10.64.10.0/23', 3, 'container', 0, 3, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (6, 1, 4, '\x0000000000000000000000000a400a00', 26, '10.64.10.0/26', 5, 'allocated', 0, 3, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (7, 1, 4, '\x0000000000000000000000000a400c00', 23, '10.64.12.0/23', 3, 'container', 0, 4, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (8, 1, 4, '\x0000000000000000000000000a400c00', 26, '10.64.12.0/26', 7, 'allocated', 0, 4, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (9, 1, 4, '\x0000000000000000000000000a400a40', 26, '10.64.10.64/26', 5, 'container', 0, 5, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (10, 1, 4, '\x0000000000000000000000000a400a40', 27, '10.64.10.64/27', 9, 'allocated', 0, 5, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (11, 1, 4, '\x0000000000000000000000000a400a80', 26, '10.64.10.128/26', 5, 'container', 0, 6, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (12, 1, 4, '\x0000000000000000000000000a400a80', 27, '10.64.10.128/27', 11, 'allocated', 0, 6, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (13, 1, 4, '\x0000000000000000000000000a400ac0', 26, '10.64.10.192/26', 5, 'container', 0, 7, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (14, 1, 4, '\x0000000000000000000000000a400ac0', 27, '10.64.10.192/27', 13, 'allocated', 0, 7, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (15, 1, 4, '\x0000000000000000000000000a400c40', 26, '10.64.12.64/26', 7, 'container', 0, 8, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (16, 1, 4, '\x0000000000000000000000000a400c40', 27, '10.64.12.64/27', 15, 'allocated', 0, 8, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (17, 1, 4, '\x0000000000000000000000000a400c80', 26, '10.64.12.128/26', 7, 'container', 0, 9, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (18, 1, 4, '\x0000000000000000000000000a400c80', 27, '10.64.12.128/27', 17, 'allocated', 0, 9, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (19, 1, 4, '\x0000000000000000000000000a400cc0', 26, '10.64.12.192/26', 7, 'container', 0, 10, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (20, 1, 4, '\x0000000000000000000000000a400cc0', 27, '10.64.12.192/27', 19, 'allocated', 0, 10, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (21, 1, 6, '\x20010db8100000000000000000000000', 40, '2001:db8:1000::/40', NULL, 'container', 1, 1, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (22, 1, 6, '\x20010db8100000000000000000000000', 56, '2001:db8:1000::/56', 21, 'container', 0, 1, 'site', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (23, 1, 6, '\x20010db8100000010000000000000000', 64, '2001:db8:1000:1::/64', 22, 'allocated', 0, 1, 'core', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (24, 1, 6, '\x20010db8101000000000000000000000', 44, '2001:db8:1010::/44', 21, 'container', 0, 2, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (25, 1, 6, '\x20010db8101000000000000000000000', 56, '2001:db8:1010::/56', 24, 'container', 0, 2, 'site', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (26, 1, 6, '\x20010db8101000020000000000000000', 64, '2001:db8:1010:2::/64', 25, 'allocated', 0, 2, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (27, 1, 6, '\x20010db8101100000000000000000000', 48, '2001:db8:1011::/48', 24, 'container', 0, 3, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (28, 1, 6, '\x20010db8101100000000000000000000', 56, '2001:db8:1011::/56', 27, 'container', 0, 3, 'site', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (29, 1, 6, '\x20010db8101100020000000000000000', 64, '2001:db8:1011:2::/64', 28, 'allocated', 0, 3, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (30, 1, 6, '\x20010db8101200000000000000000000', 48, '2001:db8:1012::/48', 24, 'container', 0, 4, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (31, 1, 6, '\x20010db8101200000000000000000000', 56, '2001:db8:1012::/56', 30, 'container', 0, 4, 'site', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (32, 1, 6, '\x20010db8101200020000000000000000', 64, '2001:db8:1012:2::/64', 31, 'allocated', 0, 4, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (33, 1, 6, '\x20010db8101110000000000000000000', 52, '2001:db8:1011:1000::/52', 27, 'container', 0, 5, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (34, 1, 6, '\x20010db8101110000000000000000000', 56, '2001:db8:1011:1000::/56', 33, 'container', 0, 5, 'site', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (35, 1, 6, '\x20010db8101110020000000000000000', 64, '2001:db8:1011:1002::/64', 34, 'allocated', 0, 5, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (36, 1, 6, '\x20010db8101120000000000000000000', 52, '2001:db8:1011:2000::/52', 27, 'container', 0, 6, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (37, 1, 6, '\x20010db8101120000000000000000000', 56, '2001:db8:1011:2000::/56', 36, 'container', 0, 6, 'site', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (38, 1, 6, '\x20010db8101120020000000000000000', 64, '2001:db8:1011:2002::/64', 37, 'allocated', 0, 6, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (39, 1, 6, '\x20010db8101130000000000000000000', 52, '2001:db8:1011:3000::/52', 27, 'container', 0, 7, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (40, 1, 6, '\x20010db8101130000000000000000000', 56, '2001:db8:1011:3000::/56', 39, 'container', 0, 7, 'site', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (41, 1, 6, '\x20010db8101130020000000000000000', 64, '2001:db8:1011:3002::/64', 40, 'allocated', 0, 7, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (42, 1, 6, '\x20010db8101210000000000000000000', 52, '2001:db8:1012:1000::/52', 30, 'container', 0, 8, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (43, 1, 6, '\x20010db8101210000000000000000000', 56, '2001:db8:1012:1000::/56', 42, 'container', 0, 8, 'site', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (44, 1, 6, '\x20010db8101210020000000000000000', 64, '2001:db8:1012:1002::/64', 43, 'allocated', 0, 8, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (45, 1, 6, '\x20010db8101220000000000000000000', 52, '2001:db8:1012:2000::/52', 30, 'container', 0, 9, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (46, 1, 6, '\x20010db8101220000000000000000000', 56, '2001:db8:1012:2000::/56', 45, 'container', 0, 9, 'site', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (47, 1, 6, '\x20010db8101220020000000000000000', 64, '2001:db8:1012:2002::/64', 46, 'allocated', 0, 9, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (48, 1, 6, '\x20010db8101230000000000000000000', 52, '2001:db8:1012:3000::/52', 30, 'container', 0, 10, NULL, NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (49, 1, 6, '\x20010db8101230000000000000000000', 56, '2001:db8:1012:3000::/56', 48, 'container', 0, 10, 'site', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (50, 1, 6, '\x20010db8101230020000000000000000', 64, '2001:db8:1012:3002::/64', 49, 'allocated', 0, 10, 'office', NULL, NULL, '2026-11-27T11:30:38.019712+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (51, 2, 4, '\x000000000000000000000000ac100000', 16, '172.16.0.0/16', NULL, 'container', 1, NULL, NULL, NULL, NULL, '2026-11-27T11:30:38.054640+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (52, 2, 4, '\x000000000000000000000000ac100000', 24, '172.16.0.0/24', 51, 'quarantine', 0, NULL, NULL, NULL, '2026-11-30T11:30:38.073783+00:00', '2026-11-27T11:30:38.059543+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (53, 2, 4, '\x000000000000000000000000ac100100', 26, '172.16.1.0/26', 51, 'allocated', 0, NULL, NULL, 'spare', NULL, '2026-11-27T11:30:38.076018+00:00');
INSERT INTO govops_pre_seams.prefix (id, vrf_id, family, net, plen, cidr, parent_id, status, is_pool, org_id, purpose, description, quarantine_until, created_at) VALUES (54, 2, 4, '\x000000000000000000000000ac100140', 26, '172.16.1.64/26', 51, 'allocated', 0, NULL, NULL, 'nvr', NULL, '2026-11-27T11:30:38.079844+00:00');
INSERT INTO govops_pre_seams.prefix_pair (v4_id, v6_id) VALUES (2, 23);
INSERT INTO govops_pre_seams.prefix_pair (v4_id, v6_id) VALUES (4, 26);
INSERT INTO govops_pre_seams.prefix_pair (v4_id, v6_id) VALUES (6, 29);
INSERT INTO govops_pre_seams.prefix_pair (v4_id, v6_id) VALUES (8, 32);
INSERT INTO govops_pre_seams.prefix_pair (v4_id, v6_id) VALUES (10, 35);
INSERT INTO govops_pre_seams.prefix_pair (v4_id, v6_id) VALUES (12, 38);
INSERT INTO govops_pre_seams.prefix_pair (v4_id, v6_id) VALUES (14, 41);
INSERT INTO govops_pre_seams.prefix_pair (v4_id, v6_id) VALUES (16, 44);
INSERT INTO govops_pre_seams.prefix_pair (v4_id, v6_id) VALUES (18, 47);
INSERT INTO govops_pre_seams.prefix_pair (v4_id, v6_id) VALUES (20, 50);
INSERT INTO govops_pre_seams.schema_migrations (version, name, applied_at) VALUES (1, 'org units and audit log', '2026-11-27T11:30:37.939481+00:00');
INSERT INTO govops_pre_seams.schema_migrations (version, name, applied_at) VALUES (2, 'ipam: vrfs, prefixes, free-block index, addresses, settings', '2026-11-27T11:30:37.939481+00:00');
INSERT INTO govops_pre_seams.schema_migrations (version, name, applied_at) VALUES (3, 'ipam: dual-stack pairing of IPv4 purpose subnets with IPv6 /64s', '2026-11-27T11:30:37.939481+00:00');
INSERT INTO govops_pre_seams.setting (key, value) VALUES ('ipam.quarantine_days', '3');
INSERT INTO govops_pre_seams.vrf (id, name, rd, description, created_at) VALUES (1, 'egov', NULL, '政务外网 e-government extranet', '2026-11-27T11:30:37.939481+00:00');
INSERT INTO govops_pre_seams.vrf (id, name, rd, description, created_at) VALUES (2, 'video', NULL, '视频专网', '2026-11-27T11:30:38.051143+00:00');
SELECT pg_catalog.setval('govops_pre_seams.audit_id_seq', 83, true);
SELECT pg_catalog.setval('govops_pre_seams.ip_address_id_seq', 5, true);
SELECT pg_catalog.setval('govops_pre_seams.org_unit_id_seq', 10, true);
SELECT pg_catalog.setval('govops_pre_seams.prefix_id_seq', 54, true);
SELECT pg_catalog.setval('govops_pre_seams.vrf_id_seq', 2, true);
ALTER TABLE ONLY govops_pre_seams.audit
    ADD CONSTRAINT audit_pkey PRIMARY KEY (id);
ALTER TABLE ONLY govops_pre_seams.free_block
    ADD CONSTRAINT free_block_pkey PRIMARY KEY (container_id, plen, net);
ALTER TABLE ONLY govops_pre_seams.ip_address
    ADD CONSTRAINT ip_address_pkey PRIMARY KEY (id);
ALTER TABLE ONLY govops_pre_seams.ip_address
    ADD CONSTRAINT ip_address_vrf_id_family_addr_key UNIQUE (vrf_id, family, addr);
ALTER TABLE ONLY govops_pre_seams.org_unit
    ADD CONSTRAINT org_unit_code_key UNIQUE (code);
ALTER TABLE ONLY govops_pre_seams.org_unit
    ADD CONSTRAINT org_unit_pkey PRIMARY KEY (id);
ALTER TABLE ONLY govops_pre_seams.prefix_pair
    ADD CONSTRAINT prefix_pair_pkey PRIMARY KEY (v4_id);
ALTER TABLE ONLY govops_pre_seams.prefix_pair
    ADD CONSTRAINT prefix_pair_v6_id_key UNIQUE (v6_id);
ALTER TABLE ONLY govops_pre_seams.prefix
    ADD CONSTRAINT prefix_pkey PRIMARY KEY (id);
ALTER TABLE ONLY govops_pre_seams.prefix
    ADD CONSTRAINT prefix_siblings_disjoint EXCLUDE USING gist (vrf_id WITH =, COALESCE(parent_id, (0)::bigint) WITH =, block inet_ops WITH &&) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ONLY govops_pre_seams.prefix
    ADD CONSTRAINT prefix_vrf_id_family_net_plen_key UNIQUE (vrf_id, family, net, plen);
ALTER TABLE ONLY govops_pre_seams.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);
ALTER TABLE ONLY govops_pre_seams.setting
    ADD CONSTRAINT setting_pkey PRIMARY KEY (key);
ALTER TABLE ONLY govops_pre_seams.vrf
    ADD CONSTRAINT vrf_name_key UNIQUE (name);
ALTER TABLE ONLY govops_pre_seams.vrf
    ADD CONSTRAINT vrf_pkey PRIMARY KEY (id);
CREATE INDEX audit_object ON govops_pre_seams.audit USING btree (object_type, object_ref);
CREATE INDEX free_block_addr ON govops_pre_seams.free_block USING btree (container_id, net);
CREATE INDEX ip_address_prefix ON govops_pre_seams.ip_address USING btree (prefix_id, addr);
CREATE INDEX org_unit_level ON govops_pre_seams.org_unit USING btree (level);
CREATE INDEX org_unit_name ON govops_pre_seams.org_unit USING btree (name);
CREATE INDEX org_unit_parent ON govops_pre_seams.org_unit USING btree (parent_id);
CREATE INDEX org_unit_path ON govops_pre_seams.org_unit USING btree (path);
CREATE INDEX prefix_org ON govops_pre_seams.prefix USING btree (org_id);
CREATE INDEX prefix_parent ON govops_pre_seams.prefix USING btree (parent_id, net);
CREATE INDEX prefix_parent_status ON govops_pre_seams.prefix USING btree (parent_id, status);
ALTER TABLE ONLY govops_pre_seams.free_block
    ADD CONSTRAINT free_block_container_id_fkey FOREIGN KEY (container_id) REFERENCES govops_pre_seams.prefix(id) ON DELETE CASCADE;
ALTER TABLE ONLY govops_pre_seams.ip_address
    ADD CONSTRAINT ip_address_prefix_id_fkey FOREIGN KEY (prefix_id) REFERENCES govops_pre_seams.prefix(id);
ALTER TABLE ONLY govops_pre_seams.ip_address
    ADD CONSTRAINT ip_address_vrf_id_fkey FOREIGN KEY (vrf_id) REFERENCES govops_pre_seams.vrf(id);
ALTER TABLE ONLY govops_pre_seams.org_unit
    ADD CONSTRAINT org_unit_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES govops_pre_seams.org_unit(id);
ALTER TABLE ONLY govops_pre_seams.prefix
    ADD CONSTRAINT prefix_org_id_fkey FOREIGN KEY (org_id) REFERENCES govops_pre_seams.org_unit(id);
ALTER TABLE ONLY govops_pre_seams.prefix_pair
    ADD CONSTRAINT prefix_pair_v4_id_fkey FOREIGN KEY (v4_id) REFERENCES govops_pre_seams.prefix(id) ON DELETE CASCADE;
ALTER TABLE ONLY govops_pre_seams.prefix_pair
    ADD CONSTRAINT prefix_pair_v6_id_fkey FOREIGN KEY (v6_id) REFERENCES govops_pre_seams.prefix(id) ON DELETE CASCADE;
ALTER TABLE ONLY govops_pre_seams.prefix
    ADD CONSTRAINT prefix_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES govops_pre_seams.prefix(id);
ALTER TABLE ONLY govops_pre_seams.prefix
    ADD CONSTRAINT prefix_vrf_id_fkey FOREIGN KEY (vrf_id) REFERENCES govops_pre_seams.vrf(id);
