PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_migrations ( version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);
INSERT INTO schema_migrations VALUES(1,'org units and audit log','2026-11-27T11:30:37.308612+00:00');
INSERT INTO schema_migrations VALUES(2,'ipam: vrfs, prefixes, free-block index, addresses, settings','2026-11-27T11:30:37.308612+00:00');
INSERT INTO schema_migrations VALUES(3,'ipam: dual-stack pairing of IPv4 purpose subnets with IPv6 /64s','2026-11-27T11:30:37.308612+00:00');
CREATE TABLE org_unit (
            id INTEGER PRIMARY KEY,
            code TEXT UNIQUE,
            name TEXT NOT NULL,
            level TEXT NOT NULL CHECK (level IN ('city', 'county', 'town', 'village')),
            parent_id INTEGER REFERENCES org_unit (id),
            path TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
INSERT INTO org_unit VALUES(1,'441600000000','河源市','city',NULL,'河源市','2026-11-27T11:30:37.310719+00:00');
INSERT INTO org_unit VALUES(2,'441602000000','源城区','county',1,'河源市/源城区','2026-11-27T11:30:37.310719+00:00');
INSERT INTO org_unit VALUES(3,'441602001000','上城街道','town',2,'河源市/源城区/上城街道','2026-11-27T11:30:37.310719+00:00');
INSERT INTO org_unit VALUES(4,'441602002000','新江街道','town',2,'河源市/源城区/新江街道','2026-11-27T11:30:37.310719+00:00');
INSERT INTO org_unit VALUES(5,'441602001003','源城区上城街道下城社区居民委员会','village',3,'河源市/源城区/上城街道/源城区上城街道下城社区居民委员会','2026-11-27T11:30:37.310719+00:00');
INSERT INTO org_unit VALUES(6,'441602001005','源城区上城街道下角社区居民委员会','village',3,'河源市/源城区/上城街道/源城区上城街道下角社区居民委员会','2026-11-27T11:30:37.310719+00:00');
INSERT INTO org_unit VALUES(7,'441602001006','源城区上城街道公园社区居民委员会','village',3,'河源市/源城区/上城街道/源城区上城街道公园社区居民委员会','2026-11-27T11:30:37.310719+00:00');
INSERT INTO org_unit VALUES(8,'441602002001','源城区新江街道城南社区居民委员会','village',4,'河源市/源城区/新江街道/源城区新江街道城南社区居民委员会','2026-11-27T11:30:37.310719+00:00');
INSERT INTO org_unit VALUES(9,'441602002003','源城区新江街道上角社区居民委员会','village',4,'河源市/源城区/新江街道/源城区新江街道上角社区居民委员会','2026-11-27T11:30:37.310719+00:00');
INSERT INTO org_unit VALUES(10,'441602002005','源城区新江街道卫星社区居民委员会','village',4,'河源市/源城区/新江街道/源城区新江街道卫星社区居民委员会','2026-11-27T11:30:37.310719+00:00');
CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            ts TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            object_type TEXT NOT NULL,
            object_ref TEXT NOT NULL,
            before TEXT,
            after TEXT,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
INSERT INTO audit VALUES(1,'2026-11-27T11:30:37.310719+00:00','root','org.add','org_unit','441600000000',NULL,'{"code": "441600000000", "level": "city", "name": "河源市", "parent_code": null, "path": "河源市"}','0000000000000000000000000000000000000000000000000000000000000000','f23a3affef8414aaa7e1548caf64a7fab7176ab2cc5cb7dc98f773342869fd25');
INSERT INTO audit VALUES(2,'2026-11-27T11:30:37.310719+00:00','root','org.add','org_unit','441602000000',NULL,'{"code": "441602000000", "level": "county", "name": "源城区", "parent_code": "441600000000", "path": "河源市/源城区"}','f23a3affef8414aaa7e1548caf64a7fab7176ab2cc5cb7dc98f773342869fd25','c8ac5c5ee4d23e980ad5c985d63090f00e9f9bdf0dcd83f64f4871847c4ae071');
INSERT INTO audit VALUES(3,'2026-11-27T11:30:37.310719+00:00','root','org.add','org_unit','441602001000',NULL,'{"code": "441602001000", "level": "town", "name": "上城街道", "parent_code": "441602000000", "path": "河源市/源城区/上城街道"}','c8ac5c5ee4d23e980ad5c985d63090f00e9f9bdf0dcd83f64f4871847c4ae071','4e9d2502ca6fcd23dfa6198b13805e78086ff60734cab8ec88f2e868d4ab5ee1');
INSERT INTO audit VALUES(4,'2026-11-27T11:30:37.310719+00:00','root','org.add','org_unit','441602002000',NULL,'{"code": "441602002000", "level": "town", "name": "新江街道", "parent_code": "441602000000", "path": "河源市/源城区/新江街道"}','4e9d2502ca6fcd23dfa6198b13805e78086ff60734cab8ec88f2e868d4ab5ee1','961baffdfd40fa849468547b66d87f45831069d4f2ffcb1bdb435ab8489d1a76');
INSERT INTO audit VALUES(5,'2026-11-27T11:30:37.310719+00:00','root','org.add','org_unit','441602001003',NULL,'{"code": "441602001003", "level": "village", "name": "源城区上城街道下城社区居民委员会", "parent_code": "441602001000", "path": "河源市/源城区/上城街道/源城区上城街道下城社区居民委员会"}','961baffdfd40fa849468547b66d87f45831069d4f2ffcb1bdb435ab8489d1a76','df5fb8f7cc1f60bd0ef7a51ba98c6aae1b918c3125d1566a79e9fbad3244d8bb');
INSERT INTO audit VALUES(6,'2026-11-27T11:30:37.310719+00:00','root','org.add','org_unit','441602001005',NULL,'{"code": "441602001005", "level": "village", "name": "源城区上城街道下角社区居民委员会", "parent_code": "441602001000", "path": "河源市/源城区/上城街道/源城区上城街道下角社区居民委员会"}','df5fb8f7cc1f60bd0ef7a51ba98c6aae1b918c3125d1566a79e9fbad3244d8bb','f76bbaf5d5aeb0cb67cbcd37c24e1c9938267752f0eb827544488045b95ae37f');
INSERT INTO audit VALUES(7,'2026-11-27T11:30:37.310719+00:00','root','org.add','org_unit','441602001006',NULL,'{"code": "441602001006", "level": "village", "name": "源城区上城街道公园社区居民委员会", "parent_code": "441602001000", "path": "河源市/源城区/上城街道/源城区上城街道公园社区居民委员会"}','f76bbaf5d5aeb0cb67cbcd37c24e1c9938267752f0eb827544488045b95ae37f','98d4616bd775582c4701ed80a258d0185f50a5f861cba0791821b938897659a3');
INSERT INTO audit VALUES(8,'2026-11-27T11:30:37.310719+00:00','root','org.add','org_unit','441602002001',NULL,'{"code": "441602002001", "level": "village", "name": "源城区新江街道城南社区居民委员会", "parent_code": "441602002000", "path": "河源市/源城区/新江街道/源城区新江街道城南社区居民委员会"}','98d4616bd775582c4701ed80a258d0185f50a5f861cba0791821b938897659a3','c2193da5ec25ddfa99c23aae68b13a696f4e5d22701ce3a665f6234ff6240dbd');
INSERT INTO audit VALUES(9,'2026-11-27T11:30:37.310719+00:00','root','org.add','org_unit','441602002003',NULL,'{"code": "441602002003", "level": "village", "name": "源城区新江街道上角社区居民委员会", "parent_code": "441602002000", "path": "河源市/源城区/新江街道/源城区新江街道上角社区居民委员会"}','c2193da5ec25ddfa99c23aae68b13a696f4e5d22701ce3a665f6234ff6240dbd','d8792140a671045298d70e9876f0238fcfa9c1a759e1e753aa70b8f400edfcef');
INSERT INTO audit VALUES(10,'2026-11-27T11:30:37.310719+00:00','root','org.add','org_unit','441602002005',NULL,'{"code": "441602002005", "level": "village", "name": "源城区新江街道卫星社区居民委员会", "parent_code": "441602002000", "path": "河源市/源城区/新江街道/源城区新江街道卫星社区居民委员会"}','d8792140a671045298d70e9876f0238fcfa9c1a759e1e753aa70b8f400edfcef','574f41a631de3fbeea2a97f7f36e39fb0edaf801863d53d43e7a17c54ad8f614');
INSERT INTO audit VALUES(11,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.0.0/16',NULL,'{"family": 4, "org_code": "441600000000", "org_path": "河源市", "parent": null, "pool": true, "prefix": "10.64.0.0/16", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','574f41a631de3fbeea2a97f7f36e39fb0edaf801863d53d43e7a17c54ad8f614','0a47f81c4a04c4d7e11a2e565294ae536ca3a9ecbd9ce0065627149a0422fcd0');
INSERT INTO audit VALUES(12,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.0.0/25',NULL,'{"family": 4, "org_code": "441600000000", "org_path": "河源市", "parent": "10.64.0.0/16", "pool": false, "prefix": "10.64.0.0/25", "purpose": "core", "source": "plan", "status": "allocated", "vrf": "egov"}','0a47f81c4a04c4d7e11a2e565294ae536ca3a9ecbd9ce0065627149a0422fcd0','4899fc8aff3fe4d46925521db5906c0312cec5280293f1f3b707271b72ac84b2');
INSERT INTO audit VALUES(13,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.8.0/21',NULL,'{"family": 4, "org_code": "441602000000", "org_path": "河源市/源城区", "parent": "10.64.0.0/16", "pool": false, "prefix": "10.64.8.0/21", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','4899fc8aff3fe4d46925521db5906c0312cec5280293f1f3b707271b72ac84b2','db4e561c6cdf58d3da1df93cde7ff836c62e2c0aa6f6193e6c61cca48b61e43d');
INSERT INTO audit VALUES(14,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.8.0/24',NULL,'{"family": 4, "org_code": "441602000000", "org_path": "河源市/源城区", "parent": "10.64.8.0/21", "pool": false, "prefix": "10.64.8.0/24", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','db4e561c6cdf58d3da1df93cde7ff836c62e2c0aa6f6193e6c61cca48b61e43d','c207205c51a10133d1bc4aa391b95960c14f233fec2c6b29072c8027f81b8f30');
INSERT INTO audit VALUES(15,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.10.0/23',NULL,'{"family": 4, "org_code": "441602001000", "org_path": "河源市/源城区/上城街道", "parent": "10.64.8.0/21", "pool": false, "prefix": "10.64.10.0/23", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','c207205c51a10133d1bc4aa391b95960c14f233fec2c6b29072c8027f81b8f30','094d7ab6eb320afffb4267f8850efd704167410249c58ffda7dc6268192c67b9');
INSERT INTO audit VALUES(16,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.10.0/26',NULL,'{"family": 4, "org_code": "441602001000", "org_path": "河源市/源城区/上城街道", "parent": "10.64.10.0/23", "pool": false, "prefix": "10.64.10.0/26", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','094d7ab6eb320afffb4267f8850efd704167410249c58ffda7dc6268192c67b9','2cb2e235069a2907505ff1654b50968ececf30b6e024a18fcaac11566669382b');
INSERT INTO audit VALUES(17,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.12.0/23',NULL,'{"family": 4, "org_code": "441602002000", "org_path": "河源市/源城区/新江街道", "parent": "10.64.8.0/21", "pool": false, "prefix": "10.64.12.0/23", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','2cb2e235069a2907505ff1654b50968ececf30b6e024a18fcaac11566669382b','879ca4d0ff17ed10b0e0babca856de0f82191522af05b8f9e1fe1988c93d909c');
INSERT INTO audit VALUES(18,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.12.0/26',NULL,'{"family": 4, "org_code": "441602002000", "org_path": "河源市/源城区/新江街道", "parent": "10.64.12.0/23", "pool": false, "prefix": "10.64.12.0/26", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','879ca4d0ff17ed10b0e0babca856de0f82191522af05b8f9e1fe1988c93d909c','fa9e061dd26944f91e980937c53bf0baa2b5ce831c7842ea72eb64030a6eeb62');
INSERT INTO audit VALUES(19,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.10.64/26',NULL,'{"family": 4, "org_code": "441602001003", "org_path": "河源市/源城区/上城街道/源城区上城街道下城社区居民委员会", "parent": "10.64.10.0/23", "pool": false, "prefix": "10.64.10.64/26", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','fa9e061dd26944f91e980937c53bf0baa2b5ce831c7842ea72eb64030a6eeb62','1f99d2d400fff044ed6aabf4230997e83121e1f19c16d6a70bb193b635b75ab4');
INSERT INTO audit VALUES(20,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.10.64/27',NULL,'{"family": 4, "org_code": "441602001003", "org_path": "河源市/源城区/上城街道/源城区上城街道下城社区居民委员会", "parent": "10.64.10.64/26", "pool": false, "prefix": "10.64.10.64/27", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','1f99d2d400fff044ed6aabf4230997e83121e1f19c16d6a70bb193b635b75ab4','365524aa4a703af16e0c2e66100bcb20173af1916c64288f00ac4db928457f5b');
INSERT INTO audit VALUES(21,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.10.128/26',NULL,'{"family": 4, "org_code": "441602001005", "org_path": "河源市/源城区/上城街道/源城区上城街道下角社区居民委员会", "parent": "10.64.10.0/23", "pool": false, "prefix": "10.64.10.128/26", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','365524aa4a703af16e0c2e66100bcb20173af1916c64288f00ac4db928457f5b','007b87c25312ca28131e0b4d430432aeb6805cdd7cb46a706bd86c3d3e83662f');
INSERT INTO audit VALUES(22,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.10.128/27',NULL,'{"family": 4, "org_code": "441602001005", "org_path": "河源市/源城区/上城街道/源城区上城街道下角社区居民委员会", "parent": "10.64.10.128/26", "pool": false, "prefix": "10.64.10.128/27", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','007b87c25312ca28131e0b4d430432aeb6805cdd7cb46a706bd86c3d3e83662f','a664d8cda6c4adcb4690f5def227e59d65f1b8cabe9af5ca0357a5cd7d1be421');
INSERT INTO audit VALUES(23,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.10.192/26',NULL,'{"family": 4, "org_code": "441602001006", "org_path": "河源市/源城区/上城街道/源城区上城街道公园社区居民委员会", "parent": "10.64.10.0/23", "pool": false, "prefix": "10.64.10.192/26", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','a664d8cda6c4adcb4690f5def227e59d65f1b8cabe9af5ca0357a5cd7d1be421','3ac7f40cbb86c930b18c6add55a251f5ed0d237f9847cfda0f9c1826caf437b1');
INSERT INTO audit VALUES(24,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.10.192/27',NULL,'{"family": 4, "org_code": "441602001006", "org_path": "河源市/源城区/上城街道/源城区上城街道公园社区居民委员会", "parent": "10.64.10.192/26", "pool": false, "prefix": "10.64.10.192/27", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','3ac7f40cbb86c930b18c6add55a251f5ed0d237f9847cfda0f9c1826caf437b1','f9481671a6ff9ab4790a7a610689ea6367bedfc83aed9c78d18da149cf861eaa');
INSERT INTO audit VALUES(25,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.12.64/26',NULL,'{"family": 4, "org_code": "441602002001", "org_path": "河源市/源城区/新江街道/源城区新江街道城南社区居民委员会", "parent": "10.64.12.0/23", "pool": false, "prefix": "10.64.12.64/26", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','f9481671a6ff9ab4790a7a610689ea6367bedfc83aed9c78d18da149cf861eaa','e85045b014a8e0bda059478a7365f54c1dec8a877869235dabb7afc7dc35b3a8');
INSERT INTO audit VALUES(26,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.12.64/27',NULL,'{"family": 4, "org_code": "441602002001", "org_path": "河源市/源城区/新江街道/源城区新江街道城南社区居民委员会", "parent": "10.64.12.64/26", "pool": false, "prefix": "10.64.12.64/27", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','e85045b014a8e0bda059478a7365f54c1dec8a877869235dabb7afc7dc35b3a8','90e78a07bdee414025e72fa841773b32d6dc4f07793d156e0c582d7ef6ae5831');
INSERT INTO audit VALUES(27,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.12.128/26',NULL,'{"family": 4, "org_code": "441602002003", "org_path": "河源市/源城区/新江街道/源城区新江街道上角社区居民委员会", "parent": "10.64.12.0/23", "pool": false, "prefix": "10.64.12.128/26", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','90e78a07bdee414025e72fa841773b32d6dc4f07793d156e0c582d7ef6ae5831','2eae54b8430d2d95c0879dc9d6851dab2d6403f49a645131abc789ecbd894c39');
INSERT INTO audit VALUES(28,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.12.128/27',NULL,'{"family": 4, "org_code": "441602002003", "org_path": "河源市/源城区/新江街道/源城区新江街道上角社区居民委员会", "parent": "10.64.12.128/26", "pool": false, "prefix": "10.64.12.128/27", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','2eae54b8430d2d95c0879dc9d6851dab2d6403f49a645131abc789ecbd894c39','71df18c23d77cec23e85b26dd8477c890f2d6ebe56746b93cc8295070b946312');
INSERT INTO audit VALUES(29,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.12.192/26',NULL,'{"family": 4, "org_code": "441602002005", "org_path": "河源市/源城区/新江街道/源城区新江街道卫星社区居民委员会", "parent": "10.64.12.0/23", "pool": false, "prefix": "10.64.12.192/26", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','71df18c23d77cec23e85b26dd8477c890f2d6ebe56746b93cc8295070b946312','adff9d6315aa79d1c610c0f43a94b83951d27fa0b397f864c230438fee0f018a');
INSERT INTO audit VALUES(30,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','10.64.12.192/27',NULL,'{"family": 4, "org_code": "441602002005", "org_path": "河源市/源城区/新江街道/源城区新江街道卫星社区居民委员会", "parent": "10.64.12.192/26", "pool": false, "prefix": "10.64.12.192/27", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','adff9d6315aa79d1c610c0f43a94b83951d27fa0b397f864c230438fee0f018a','de086cad7d9cffe662e3de63b80ad8ac246752d41d4227aaaa0cd7c93db4d4c0');
INSERT INTO audit VALUES(31,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1000::/40',NULL,'{"family": 6, "org_code": "441600000000", "org_path": "河源市", "parent": null, "pool": true, "prefix": "2001:db8:1000::/40", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','de086cad7d9cffe662e3de63b80ad8ac246752d41d4227aaaa0cd7c93db4d4c0','fe52e4e7648fc6265617d09c882b01ea67175ff484e63adffa40fdd574fc6cd5');
INSERT INTO audit VALUES(32,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1000::/56',NULL,'{"family": 6, "org_code": "441600000000", "org_path": "河源市", "parent": "2001:db8:1000::/40", "pool": false, "prefix": "2001:db8:1000::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}','fe52e4e7648fc6265617d09c882b01ea67175ff484e63adffa40fdd574fc6cd5','2307b5b5296d0934c08f646191cbc63b9ef8e996dd731caf6d82e56909d079fa');
INSERT INTO audit VALUES(33,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1000:1::/64',NULL,'{"family": 6, "org_code": "441600000000", "org_path": "河源市", "parent": "2001:db8:1000::/56", "pool": false, "prefix": "2001:db8:1000:1::/64", "purpose": "core", "source": "plan", "status": "allocated", "vrf": "egov"}','2307b5b5296d0934c08f646191cbc63b9ef8e996dd731caf6d82e56909d079fa','07b5fb84b6c0008dc143909fd4a828926cdc2390fae6ebf64029419a09a98d49');
INSERT INTO audit VALUES(34,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1010::/44',NULL,'{"family": 6, "org_code": "441602000000", "org_path": "河源市/源城区", "parent": "2001:db8:1000::/40", "pool": false, "prefix": "2001:db8:1010::/44", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','07b5fb84b6c0008dc143909fd4a828926cdc2390fae6ebf64029419a09a98d49','9921ca88e8def2eed09efba5a1485f62d8765f13277306df6662cc8aa67fa62e');
INSERT INTO audit VALUES(35,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1010::/56',NULL,'{"family": 6, "org_code": "441602000000", "org_path": "河源市/源城区", "parent": "2001:db8:1010::/44", "pool": false, "prefix": "2001:db8:1010::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}','9921ca88e8def2eed09efba5a1485f62d8765f13277306df6662cc8aa67fa62e','584d0d30ee0a0fa907d1f6c515a2bc06aa2aa4b2fbbc31af487ffc4e28869c25');
INSERT INTO audit VALUES(36,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1010:2::/64',NULL,'{"family": 6, "org_code": "441602000000", "org_path": "河源市/源城区", "parent": "2001:db8:1010::/56", "pool": false, "prefix": "2001:db8:1010:2::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','584d0d30ee0a0fa907d1f6c515a2bc06aa2aa4b2fbbc31af487ffc4e28869c25','bd6a561b9b29b5641084c8c9b223847f93597a6931b797bc632b5059a4736ce9');
INSERT INTO audit VALUES(37,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1011::/48',NULL,'{"family": 6, "org_code": "441602001000", "org_path": "河源市/源城区/上城街道", "parent": "2001:db8:1010::/44", "pool": false, "prefix": "2001:db8:1011::/48", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','bd6a561b9b29b5641084c8c9b223847f93597a6931b797bc632b5059a4736ce9','e0a080178c1bcb0abe88ce020603f630e4dd30a005db82aff2309f4237505489');
INSERT INTO audit VALUES(38,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1011::/56',NULL,'{"family": 6, "org_code": "441602001000", "org_path": "河源市/源城区/上城街道", "parent": "2001:db8:1011::/48", "pool": false, "prefix": "2001:db8:1011::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}','e0a080178c1bcb0abe88ce020603f630e4dd30a005db82aff2309f4237505489','d2c6dd346e0302ed15dfa9fb2e41d5babf28809b69a3fd7e267ffda64e699592');
INSERT INTO audit VALUES(39,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1011:2::/64',NULL,'{"family": 6, "org_code": "441602001000", "org_path": "河源市/源城区/上城街道", "parent": "2001:db8:1011::/56", "pool": false, "prefix": "2001:db8:1011:2::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','d2c6dd346e0302ed15dfa9fb2e41d5babf28809b69a3fd7e267ffda64e699592','976eb72b491c93a4661e154c3cdbfb2c8aa28c78fe91cac1c3322f026befaa8f');
INSERT INTO audit VALUES(40,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1012::/48',NULL,'{"family": 6, "org_code": "441602002000", "org_path": "河源市/源城区/新江街道", "parent": "2001:db8:1010::/44", "pool": false, "prefix": "2001:db8:1012::/48", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','976eb72b491c93a4661e154c3cdbfb2c8aa28c78fe91cac1c3322f026befaa8f','554c90a0b5f06b7b74e25822085cbef78e253dbd8cd3639cd2ae466404924705');
INSERT INTO audit VALUES(41,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1012::/56',NULL,'{"family": 6, "org_code": "441602002000", "org_path": "河源市/源城区/新江街道", "parent": "2001:db8:1012::/48", "pool": false, "prefix": "2001:db8:1012::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}','554c90a0b5f06b7b74e25822085cbef78e253dbd8cd3639cd2ae466404924705','44cf6fbae9bb1efafadaaa9c4d0f9a1e4b5ea4e58cad2683ac83a599421b29f4');
INSERT INTO audit VALUES(42,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1012:2::/64',NULL,'{"family": 6, "org_code": "441602002000", "org_path": "河源市/源城区/新江街道", "parent": "2001:db8:1012::/56", "pool": false, "prefix": "2001:db8:1012:2::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','44cf6fbae9bb1efafadaaa9c4d0f9a1e4b5ea4e58cad2683ac83a599421b29f4','d0fa32502d832f74ed09d3bdb7e4fe5e13e73b54e893c651c72d57fd6fe554b1');
INSERT INTO audit VALUES(43,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1011:1000::/52',NULL,'{"family": 6, "org_code": "441602001003", "org_path": "河源市/源城区/上城街道/源城区上城街道下城社区居民委员会", "parent": "2001:db8:1011::/48", "pool": false, "prefix": "2001:db8:1011:1000::/52", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','d0fa32502d832f74ed09d3bdb7e4fe5e13e73b54e893c651c72d57fd6fe554b1','d36c5469452c49dc882448dff9877291eeb5fed5aa9c42b6ecca6c6b77e24e91');
INSERT INTO audit VALUES(44,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1011:1000::/56',NULL,'{"family": 6, "org_code": "441602001003", "org_path": "河源市/源城区/上城街道/源城区上城街道下城社区居民委员会", "parent": "2001:db8:1011:1000::/52", "pool": false, "prefix": "2001:db8:1011:1000::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}','d36c5469452c49dc882448dff9877291eeb5fed5aa9c42b6ecca6c6b77e24e91','5b9d6aecb522e8c1bab7757f9a11941dccf671304f64ad3a0f1abd24b9f0fb50');
INSERT INTO audit VALUES(45,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1011:1002::/64',NULL,'{"family": 6, "org_code": "441602001003", "org_path": "河源市/源城区/上城街道/源城区上城街道下城社区居民委员会", "parent": "2001:db8:1011:1000::/56", "pool": false, "prefix": "2001:db8:1011:1002::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','5b9d6aecb522e8c1bab7757f9a11941dccf671304f64ad3a0f1abd24b9f0fb50','69b8f04f7d21fc134e7ee09611501ab42d56a0aa9322678a59c3d6359c7c69b4');
INSERT INTO audit VALUES(46,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1011:2000::/52',NULL,'{"family": 6, "org_code": "441602001005", "org_path": "河源市/源城区/上城街道/源城区上城街道下角社区居民委员会", "parent": "2001:db8:1011::/48", "pool": false, "prefix": "2001:db8:1011:2000::/52", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','69b8f04f7d21fc134e7ee09611501ab42d56a0aa9322678a59c3d6359c7c69b4','82df4a0331df4eea132028605df8e20487eceab96626d385c372250ef2b777d1');
INSERT INTO audit VALUES(47,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1011:2000::/56',NULL,'{"family": 6, "org_code": "441602001005", "org_path": "河源市/源城区/上城街道/源城区上城街道下角社区居民委员会", "parent": "2001:db8:1011:2000::/52", "pool": false, "prefix": "2001:db8:1011:2000::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}','82df4a0331df4eea132028605df8e20487eceab96626d385c372250ef2b777d1','d9cc138bba4d281219abd5a31ec4a4948fe1dbf8f9f7b42416b600f776134a12');
INSERT INTO audit VALUES(48,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1011:2002::/64',NULL,'{"family": 6, "org_code": "441602001005", "org_path": "河源市/源城区/上城街道/源城区上城街道下角社区居民委员会", "parent": "2001:db8:1011:2000::/56", "pool": false, "prefix": "2001:db8:1011:2002::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','d9cc138bba4d281219abd5a31ec4a4948fe1dbf8f9f7b42416b600f776134a12','9a7761db78a21e6314abfa982607968578c02dcad4da6401bc45f2cb1b18a386');
INSERT INTO audit VALUES(49,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1011:3000::/52',NULL,'{"family": 6, "org_code": "441602001006", "org_path": "河源市/源城区/上城街道/源城区上城街道公园社区居民委员会", "parent": "2001:db8:1011::/48", "pool": false, "prefix": "2001:db8:1011:3000::/52", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','9a7761db78a21e6314abfa982607968578c02dcad4da6401bc45f2cb1b18a386','90d6e5def0c3c3eec7a302111e88feaa3789bc65d07f5b81e93dbdc6378e045b');
INSERT INTO audit VALUES(50,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1011:3000::/56',NULL,'{"family": 6, "org_code": "441602001006", "org_path": "河源市/源城区/上城街道/源城区上城街道公园社区居民委员会", "parent": "2001:db8:1011:3000::/52", "pool": false, "prefix": "2001:db8:1011:3000::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}','90d6e5def0c3c3eec7a302111e88feaa3789bc65d07f5b81e93dbdc6378e045b','1b579958bccf4abb19915f8458f5b0a32d2deb61c78c7e5075cdbe0c45960c16');
INSERT INTO audit VALUES(51,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1011:3002::/64',NULL,'{"family": 6, "org_code": "441602001006", "org_path": "河源市/源城区/上城街道/源城区上城街道公园社区居民委员会", "parent": "2001:db8:1011:3000::/56", "pool": false, "prefix": "2001:db8:1011:3002::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','1b579958bccf4abb19915f8458f5b0a32d2deb61c78c7e5075cdbe0c45960c16','513ae2d28ad71eab440eabcc981c4ef7d4a8506aa367f6a6e246a75de7741b7d');
INSERT INTO audit VALUES(52,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1012:1000::/52',NULL,'{"family": 6, "org_code": "441602002001", "org_path": "河源市/源城区/新江街道/源城区新江街道城南社区居民委员会", "parent": "2001:db8:1012::/48", "pool": false, "prefix": "2001:db8:1012:1000::/52", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','513ae2d28ad71eab440eabcc981c4ef7d4a8506aa367f6a6e246a75de7741b7d','1de17b0d7f56543c43b798e5fd808ee45f864e27f3674317b0b35a89e478fc7e');
INSERT INTO audit VALUES(53,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1012:1000::/56',NULL,'{"family": 6, "org_code": "441602002001", "org_path": "河源市/源城区/新江街道/源城区新江街道城南社区居民委员会", "parent": "2001:db8:1012:1000::/52", "pool": false, "prefix": "2001:db8:1012:1000::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}','1de17b0d7f56543c43b798e5fd808ee45f864e27f3674317b0b35a89e478fc7e','8ea17cb95956d06c96c10df00f894256587a8b0c2e90484f9c0c3832ff17ce9f');
INSERT INTO audit VALUES(54,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1012:1002::/64',NULL,'{"family": 6, "org_code": "441602002001", "org_path": "河源市/源城区/新江街道/源城区新江街道城南社区居民委员会", "parent": "2001:db8:1012:1000::/56", "pool": false, "prefix": "2001:db8:1012:1002::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','8ea17cb95956d06c96c10df00f894256587a8b0c2e90484f9c0c3832ff17ce9f','b79ca8b4a9ca783072217dcf400fb9f2545950322c8c71aeb8f94dcc5d4f2afb');
INSERT INTO audit VALUES(55,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1012:2000::/52',NULL,'{"family": 6, "org_code": "441602002003", "org_path": "河源市/源城区/新江街道/源城区新江街道上角社区居民委员会", "parent": "2001:db8:1012::/48", "pool": false, "prefix": "2001:db8:1012:2000::/52", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','b79ca8b4a9ca783072217dcf400fb9f2545950322c8c71aeb8f94dcc5d4f2afb','ef70b29ed9966d935c8eb60ebfe52e4667ffcba687b678a1c755c56d6cfbd873');
INSERT INTO audit VALUES(56,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1012:2000::/56',NULL,'{"family": 6, "org_code": "441602002003", "org_path": "河源市/源城区/新江街道/源城区新江街道上角社区居民委员会", "parent": "2001:db8:1012:2000::/52", "pool": false, "prefix": "2001:db8:1012:2000::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}','ef70b29ed9966d935c8eb60ebfe52e4667ffcba687b678a1c755c56d6cfbd873','f1c897329f391dba84157d0f66f750a1ce8f3b34b5d9769d996f18241d411891');
INSERT INTO audit VALUES(57,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1012:2002::/64',NULL,'{"family": 6, "org_code": "441602002003", "org_path": "河源市/源城区/新江街道/源城区新江街道上角社区居民委员会", "parent": "2001:db8:1012:2000::/56", "pool": false, "prefix": "2001:db8:1012:2002::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','f1c897329f391dba84157d0f66f750a1ce8f3b34b5d9769d996f18241d411891','4d86a30ee473d665b8791b2b284f44049ec5cb36fc79ed8c5871afb7a2968beb');
INSERT INTO audit VALUES(58,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1012:3000::/52',NULL,'{"family": 6, "org_code": "441602002005", "org_path": "河源市/源城区/新江街道/源城区新江街道卫星社区居民委员会", "parent": "2001:db8:1012::/48", "pool": false, "prefix": "2001:db8:1012:3000::/52", "purpose": null, "source": "plan", "status": "container", "vrf": "egov"}','4d86a30ee473d665b8791b2b284f44049ec5cb36fc79ed8c5871afb7a2968beb','eb5f728d147cfe3ede1650a692247e3588e76c624f11b286e3a077e4e7dda8e8');
INSERT INTO audit VALUES(59,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1012:3000::/56',NULL,'{"family": 6, "org_code": "441602002005", "org_path": "河源市/源城区/新江街道/源城区新江街道卫星社区居民委员会", "parent": "2001:db8:1012:3000::/52", "pool": false, "prefix": "2001:db8:1012:3000::/56", "purpose": "site", "source": "plan", "status": "container", "vrf": "egov"}','eb5f728d147cfe3ede1650a692247e3588e76c624f11b286e3a077e4e7dda8e8','010aed9e6c106b88141bd8d3be8450e35d74aa77d1ef875d742cca3d48c9b9bb');
INSERT INTO audit VALUES(60,'2026-11-27T11:30:37.320603+00:00','root','prefix.add','prefix','2001:db8:1012:3002::/64',NULL,'{"family": 6, "org_code": "441602002005", "org_path": "河源市/源城区/新江街道/源城区新江街道卫星社区居民委员会", "parent": "2001:db8:1012:3000::/56", "pool": false, "prefix": "2001:db8:1012:3002::/64", "purpose": "office", "source": "plan", "status": "allocated", "vrf": "egov"}','010aed9e6c106b88141bd8d3be8450e35d74aa77d1ef875d742cca3d48c9b9bb','388d60b39ef78882654cc11ee771f74c83217dcce6230535b0e83e7dac7b86c7');
INSERT INTO audit VALUES(61,'2026-11-27T11:30:37.320603+00:00','root','prefix.pair','prefix','10.64.0.0/25',NULL,'{"v4": "10.64.0.0/25", "v6": "2001:db8:1000:1::/64"}','388d60b39ef78882654cc11ee771f74c83217dcce6230535b0e83e7dac7b86c7','445824e790ac61084a2893508e19c5538101ca573ab11965c16afa339fd6bb9b');
INSERT INTO audit VALUES(62,'2026-11-27T11:30:37.320603+00:00','root','prefix.pair','prefix','10.64.8.0/24',NULL,'{"v4": "10.64.8.0/24", "v6": "2001:db8:1010:2::/64"}','445824e790ac61084a2893508e19c5538101ca573ab11965c16afa339fd6bb9b','6df1d8735cadfb4f41f8becd4f5186089c93aff229b0ddc33d6d4a0242646fb9');
INSERT INTO audit VALUES(63,'2026-11-27T11:30:37.320603+00:00','root','prefix.pair','prefix','10.64.10.0/26',NULL,'{"v4": "10.64.10.0/26", "v6": "2001:db8:1011:2::/64"}','6df1d8735cadfb4f41f8becd4f5186089c93aff229b0ddc33d6d4a0242646fb9','5e66820fac85806a0591db566bf24439afcab909369d0191c37b54cabccf08aa');
INSERT INTO audit VALUES(64,'2026-11-27T11:30:37.320603+00:00','root','prefix.pair','prefix','10.64.12.0/26',NULL,'{"v4": "10.64.12.0/26", "v6": "2001:db8:1012:2::/64"}','5e66820fac85806a0591db566bf24439afcab909369d0191c37b54cabccf08aa','5d51953e478e7f8b34e2c8e6b72b81697235e51de200480e5417edde7fa08ac7');
INSERT INTO audit VALUES(65,'2026-11-27T11:30:37.320603+00:00','root','prefix.pair','prefix','10.64.10.64/27',NULL,'{"v4": "10.64.10.64/27", "v6": "2001:db8:1011:1002::/64"}','5d51953e478e7f8b34e2c8e6b72b81697235e51de200480e5417edde7fa08ac7','74835d140865a26ca0b36ee5e021df153afb8780d524ae0dad3658745dce549b');
INSERT INTO audit VALUES(66,'2026-11-27T11:30:37.320603+00:00','root','prefix.pair','prefix','10.64.10.128/27',NULL,'{"v4": "10.64.10.128/27", "v6": "2001:db8:1011:2002::/64"}','74835d140865a26ca0b36ee5e021df153afb8780d524ae0dad3658745dce549b','f7cc39b16e46d93570e4579513785151c66c43477508345082f3f616a32ed097');
INSERT INTO audit VALUES(67,'2026-11-27T11:30:37.320603+00:00','root','prefix.pair','prefix','10.64.10.192/27',NULL,'{"v4": "10.64.10.192/27", "v6": "2001:db8:1011:3002::/64"}','f7cc39b16e46d93570e4579513785151c66c43477508345082f3f616a32ed097','f3a9bf143e2557ce395e143bc46949505bad74522ae8ee1ca039496c04dfdd33');
INSERT INTO audit VALUES(68,'2026-11-27T11:30:37.320603+00:00','root','prefix.pair','prefix','10.64.12.64/27',NULL,'{"v4": "10.64.12.64/27", "v6": "2001:db8:1012:1002::/64"}','f3a9bf143e2557ce395e143bc46949505bad74522ae8ee1ca039496c04dfdd33','e0c9129ea7fdd2d2f0d0c817ff138b87a9fe8fbc5c73dd5a9794cf3aeb29d589');
INSERT INTO audit VALUES(69,'2026-11-27T11:30:37.320603+00:00','root','prefix.pair','prefix','10.64.12.128/27',NULL,'{"v4": "10.64.12.128/27", "v6": "2001:db8:1012:2002::/64"}','e0c9129ea7fdd2d2f0d0c817ff138b87a9fe8fbc5c73dd5a9794cf3aeb29d589','f37a9ef3e03c3ba8387d9532135876b48bd95181edf1f4aefa8ef3198b50a314');
INSERT INTO audit VALUES(70,'2026-11-27T11:30:37.320603+00:00','root','prefix.pair','prefix','10.64.12.192/27',NULL,'{"v4": "10.64.12.192/27", "v6": "2001:db8:1012:3002::/64"}','f37a9ef3e03c3ba8387d9532135876b48bd95181edf1f4aefa8ef3198b50a314','581a0af0e330e616225043600a410481e636acd645157c8c0fc280aa943c38ce');
INSERT INTO audit VALUES(71,'2026-11-27T11:30:37.324526+00:00','root','vrf.add','vrf','video',NULL,'{"description": "视频专网", "name": "video", "rd": null}','581a0af0e330e616225043600a410481e636acd645157c8c0fc280aa943c38ce','ee461af24fac489ec31e5f59146ce3a1dba9a6f792bfc4cdfcbbfb91d8361d92');
INSERT INTO audit VALUES(72,'2026-11-27T11:30:37.324919+00:00','root','prefix.add','prefix','172.16.0.0/16',NULL,'{"description": null, "family": 4, "org_code": null, "org_level": null, "org_path": null, "parent": null, "pool": true, "prefix": "172.16.0.0/16", "purpose": null, "quarantine_until": null, "status": "container", "vrf": "video"}','ee461af24fac489ec31e5f59146ce3a1dba9a6f792bfc4cdfcbbfb91d8361d92','9bb8520804d4beeb41d454473720bae22e4753821af0971171c71030f8a2cded');
INSERT INTO audit VALUES(73,'2026-11-27T11:30:37.325528+00:00','root','prefix.add','prefix','172.16.0.0/24',NULL,'{"description": null, "family": 4, "org_code": null, "org_level": null, "org_path": null, "parent": "172.16.0.0/16", "pool": false, "prefix": "172.16.0.0/24", "purpose": "cameras", "quarantine_until": null, "status": "allocated", "vrf": "video"}','9bb8520804d4beeb41d454473720bae22e4753821af0971171c71030f8a2cded','e2db7659c080878fd7ba5d718150651a10f33adb684eeeba9f247c9008934905');
INSERT INTO audit VALUES(74,'2026-11-27T11:30:37.326133+00:00','root','setting.set','setting','ipam.quarantine_days','{"value": null}','{"value": "3"}','e2db7659c080878fd7ba5d718150651a10f33adb684eeeba9f247c9008934905','279f61f976771c1cafdb82e98ff4fe56f1515c096a0fbd8a39a97381e5bbf523');
INSERT INTO audit VALUES(75,'2026-11-27T11:30:37.326401+00:00','root','ip.assign','ip_address','172.16.0.2',NULL,'{"address": "172.16.0.2", "description": null, "hostname": "cam-01", "prefix": "172.16.0.0/24", "status": "active", "vrf": "video"}','279f61f976771c1cafdb82e98ff4fe56f1515c096a0fbd8a39a97381e5bbf523','8ec7de1703e3ba57d197065189ecd59a41cd259f2c893530177c1c476ca8dafd');
INSERT INTO audit VALUES(76,'2026-11-27T11:30:37.326401+00:00','root','ip.assign','ip_address','172.16.0.3',NULL,'{"address": "172.16.0.3", "description": null, "hostname": "cam-01", "prefix": "172.16.0.0/24", "status": "active", "vrf": "video"}','8ec7de1703e3ba57d197065189ecd59a41cd259f2c893530177c1c476ca8dafd','67507ecf557eedb5e2955b3bcf0b6abf101054c548ea64b1f5997cd00071d3df');
INSERT INTO audit VALUES(77,'2026-11-27T11:30:37.326931+00:00','root','ip.remove','prefix','172.16.0.0/24','{"addresses": 2}',NULL,'67507ecf557eedb5e2955b3bcf0b6abf101054c548ea64b1f5997cd00071d3df','86cea1289df08e07496e07d03f6e62971dab527df5e4f856d54223cd0ac69eed');
INSERT INTO audit VALUES(78,'2026-11-27T11:30:37.326931+00:00','root','prefix.release','prefix','172.16.0.0/24','{"description": null, "family": 4, "org_code": null, "org_level": null, "org_path": null, "parent": "172.16.0.0/16", "pool": false, "prefix": "172.16.0.0/24", "purpose": "cameras", "quarantine_until": null, "status": "allocated", "vrf": "video"}','{"description": null, "family": 4, "org_code": null, "org_level": null, "org_path": null, "parent": "172.16.0.0/16", "pool": false, "prefix": "172.16.0.0/24", "purpose": null, "quarantine_until": "2026-11-30T11:30:37.326931+00:00", "status": "quarantine", "vrf": "video"}','86cea1289df08e07496e07d03f6e62971dab527df5e4f856d54223cd0ac69eed','c8ee3a46b62e89dc70d45931b1ce9d1a9ff2f363e2feb44470c8085b2823084e');
INSERT INTO audit VALUES(79,'2026-11-27T11:30:37.327281+00:00','root','prefix.add','prefix','172.16.1.0/26',NULL,'{"description": "spare", "family": 4, "org_code": null, "org_level": null, "org_path": null, "parent": "172.16.0.0/16", "pool": false, "prefix": "172.16.1.0/26", "purpose": null, "quarantine_until": null, "status": "allocated", "vrf": "video"}','c8ee3a46b62e89dc70d45931b1ce9d1a9ff2f363e2feb44470c8085b2823084e','5fc1e4a4ee67375f19e8c519ac7a4744837f8a12c815edaf9110f85a8180ab1a');
INSERT INTO audit VALUES(80,'2026-11-27T11:30:37.327628+00:00','root','prefix.add','prefix','172.16.1.64/26',NULL,'{"description": "nvr", "family": 4, "org_code": null, "org_level": null, "org_path": null, "parent": "172.16.0.0/16", "pool": false, "prefix": "172.16.1.64/26", "purpose": null, "quarantine_until": null, "status": "allocated", "vrf": "video"}','5fc1e4a4ee67375f19e8c519ac7a4744837f8a12c815edaf9110f85a8180ab1a','e7d42d70896504fe82bcb5f6a975c197093a76afb94201a634fabeba3aa5b48e');
INSERT INTO audit VALUES(81,'2026-11-27T11:30:37.328214+00:00','root','ip.assign','ip_address','172.16.1.66',NULL,'{"address": "172.16.1.66", "description": null, "hostname": "nvr-01", "prefix": "172.16.1.64/26", "status": "active", "vrf": "video"}','e7d42d70896504fe82bcb5f6a975c197093a76afb94201a634fabeba3aa5b48e','dac5fe804a4ba4f46e839acdd2b3ceb0cbddc1f6ff4531a41756c24a6ae5c5a8');
INSERT INTO audit VALUES(82,'2026-11-27T11:30:37.328214+00:00','root','ip.assign','ip_address','172.16.1.67',NULL,'{"address": "172.16.1.67", "description": null, "hostname": "nvr-01", "prefix": "172.16.1.64/26", "status": "active", "vrf": "video"}','dac5fe804a4ba4f46e839acdd2b3ceb0cbddc1f6ff4531a41756c24a6ae5c5a8','2d79a024a55e359b16e191277b385d81dfed0b46fafbabe32dcc67f2c26d0a8c');
INSERT INTO audit VALUES(83,'2026-11-27T11:30:37.328214+00:00','root','ip.assign','ip_address','172.16.1.68',NULL,'{"address": "172.16.1.68", "description": null, "hostname": "nvr-01", "prefix": "172.16.1.64/26", "status": "active", "vrf": "video"}','2d79a024a55e359b16e191277b385d81dfed0b46fafbabe32dcc67f2c26d0a8c','74a828b909ff303de72c77b3772778bf191107b6f7dccd8b0cfcbe1bffc6471a');
CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO setting VALUES('ipam.quarantine_days','3');
CREATE TABLE vrf (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            rd TEXT,
            description TEXT,
            created_at TEXT NOT NULL
        );
INSERT INTO vrf VALUES(1,'egov',NULL,'政务外网 e-government extranet','2026-11-27T11:30:37.308612+00:00');
INSERT INTO vrf VALUES(2,'video',NULL,'视频专网','2026-11-27T11:30:37.324526+00:00');
CREATE TABLE prefix (
            id INTEGER PRIMARY KEY,
            vrf_id INTEGER NOT NULL REFERENCES vrf (id),
            family INTEGER NOT NULL CHECK (family IN (4, 6)),
            net BLOB NOT NULL,
            plen INTEGER NOT NULL,
            cidr TEXT NOT NULL,
            parent_id INTEGER REFERENCES prefix (id),
            status TEXT NOT NULL
                CHECK (status IN ('container', 'allocated', 'reserved', 'quarantine')),
            is_pool INTEGER NOT NULL DEFAULT 0,
            org_id INTEGER REFERENCES org_unit (id),
            purpose TEXT,
            description TEXT,
            quarantine_until TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (vrf_id, family, net, plen)
        );
INSERT INTO prefix VALUES(1,1,4,X'0000000000000000000000000a400000',16,'10.64.0.0/16',NULL,'container',1,1,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(2,1,4,X'0000000000000000000000000a400000',25,'10.64.0.0/25',1,'allocated',0,1,'core',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(3,1,4,X'0000000000000000000000000a400800',21,'10.64.8.0/21',1,'container',0,2,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(4,1,4,X'0000000000000000000000000a400800',24,'10.64.8.0/24',3,'allocated',0,2,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(5,1,4,X'0000000000000000000000000a400a00',23,'10.64.10.0/23',3,'container',0,3,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(6,1,4,X'0000000000000000000000000a400a00',26,'10.64.10.0/26',5,'allocated',0,3,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(7,1,4,X'0000000000000000000000000a400c00',23,'10.64.12.0/23',3,'container',0,4,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(8,1,4,X'0000000000000000000000000a400c00',26,'10.64.12.0/26',7,'allocated',0,4,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(9,1,4,X'0000000000000000000000000a400a40',26,'10.64.10.64/26',5,'container',0,5,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(10,1,4,X'0000000000000000000000000a400a40',27,'10.64.10.64/27',9,'allocated',0,5,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(11,1,4,X'0000000000000000000000000a400a80',26,'10.64.10.128/26',5,'container',0,6,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(12,1,4,X'0000000000000000000000000a400a80',27,'10.64.10.128/27',11,'allocated',0,6,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(13,1,4,X'0000000000000000000000000a400ac0',26,'10.64.10.192/26',5,'container',0,7,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(14,1,4,X'0000000000000000000000000a400ac0',27,'10.64.10.192/27',13,'allocated',0,7,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(15,1,4,X'0000000000000000000000000a400c40',26,'10.64.12.64/26',7,'container',0,8,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(16,1,4,X'0000000000000000000000000a400c40',27,'10.64.12.64/27',15,'allocated',0,8,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(17,1,4,X'0000000000000000000000000a400c80',26,'10.64.12.128/26',7,'container',0,9,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(18,1,4,X'0000000000000000000000000a400c80',27,'10.64.12.128/27',17,'allocated',0,9,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(19,1,4,X'0000000000000000000000000a400cc0',26,'10.64.12.192/26',7,'container',0,10,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(20,1,4,X'0000000000000000000000000a400cc0',27,'10.64.12.192/27',19,'allocated',0,10,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(21,1,6,X'20010db8100000000000000000000000',40,'2001:db8:1000::/40',NULL,'container',1,1,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(22,1,6,X'20010db8100000000000000000000000',56,'2001:db8:1000::/56',21,'container',0,1,'site',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(23,1,6,X'20010db8100000010000000000000000',64,'2001:db8:1000:1::/64',22,'allocated',0,1,'core',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(24,1,6,X'20010db8101000000000000000000000',44,'2001:db8:1010::/44',21,'container',0,2,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(25,1,6,X'20010db8101000000000000000000000',56,'2001:db8:1010::/56',24,'container',0,2,'site',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(26,1,6,X'20010db8101000020000000000000000',64,'2001:db8:1010:2::/64',25,'allocated',0,2,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(27,1,6,X'20010db8101100000000000000000000',48,'2001:db8:1011::/48',24,'container',0,3,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(28,1,6,X'20010db8101100000000000000000000',56,'2001:db8:1011::/56',27,'container',0,3,'site',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(29,1,6,X'20010db8101100020000000000000000',64,'2001:db8:1011:2::/64',28,'allocated',0,3,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(30,1,6,X'20010db8101200000000000000000000',48,'2001:db8:1012::/48',24,'container',0,4,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(31,1,6,X'20010db8101200000000000000000000',56,'2001:db8:1012::/56',30,'container',0,4,'site',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(32,1,6,X'20010db8101200020000000000000000',64,'2001:db8:1012:2::/64',31,'allocated',0,4,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(33,1,6,X'20010db8101110000000000000000000',52,'2001:db8:1011:1000::/52',27,'container',0,5,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(34,1,6,X'20010db8101110000000000000000000',56,'2001:db8:1011:1000::/56',33,'container',0,5,'site',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(35,1,6,X'20010db8101110020000000000000000',64,'2001:db8:1011:1002::/64',34,'allocated',0,5,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(36,1,6,X'20010db8101120000000000000000000',52,'2001:db8:1011:2000::/52',27,'container',0,6,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(37,1,6,X'20010db8101120000000000000000000',56,'2001:db8:1011:2000::/56',36,'container',0,6,'site',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(38,1,6,X'20010db8101120020000000000000000',64,'2001:db8:1011:2002::/64',37,'allocated',0,6,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(39,1,6,X'20010db8101130000000000000000000',52,'2001:db8:1011:3000::/52',27,'container',0,7,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(40,1,6,X'20010db8101130000000000000000000',56,'2001:db8:1011:3000::/56',39,'container',0,7,'site',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(41,1,6,X'20010db8101130020000000000000000',64,'2001:db8:1011:3002::/64',40,'allocated',0,7,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(42,1,6,X'20010db8101210000000000000000000',52,'2001:db8:1012:1000::/52',30,'container',0,8,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(43,1,6,X'20010db8101210000000000000000000',56,'2001:db8:1012:1000::/56',42,'container',0,8,'site',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(44,1,6,X'20010db8101210020000000000000000',64,'2001:db8:1012:1002::/64',43,'allocated',0,8,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(45,1,6,X'20010db8101220000000000000000000',52,'2001:db8:1012:2000::/52',30,'container',0,9,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(46,1,6,X'20010db8101220000000000000000000',56,'2001:db8:1012:2000::/56',45,'container',0,9,'site',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(47,1,6,X'20010db8101220020000000000000000',64,'2001:db8:1012:2002::/64',46,'allocated',0,9,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(48,1,6,X'20010db8101230000000000000000000',52,'2001:db8:1012:3000::/52',30,'container',0,10,NULL,NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(49,1,6,X'20010db8101230000000000000000000',56,'2001:db8:1012:3000::/56',48,'container',0,10,'site',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(50,1,6,X'20010db8101230020000000000000000',64,'2001:db8:1012:3002::/64',49,'allocated',0,10,'office',NULL,NULL,'2026-11-27T11:30:37.320603+00:00');
INSERT INTO prefix VALUES(51,2,4,X'000000000000000000000000ac100000',16,'172.16.0.0/16',NULL,'container',1,NULL,NULL,NULL,NULL,'2026-11-27T11:30:37.324919+00:00');
INSERT INTO prefix VALUES(52,2,4,X'000000000000000000000000ac100000',24,'172.16.0.0/24',51,'quarantine',0,NULL,NULL,NULL,'2026-11-30T11:30:37.326931+00:00','2026-11-27T11:30:37.325528+00:00');
INSERT INTO prefix VALUES(53,2,4,X'000000000000000000000000ac100100',26,'172.16.1.0/26',51,'allocated',0,NULL,NULL,'spare',NULL,'2026-11-27T11:30:37.327281+00:00');
INSERT INTO prefix VALUES(54,2,4,X'000000000000000000000000ac100140',26,'172.16.1.64/26',51,'allocated',0,NULL,NULL,'nvr',NULL,'2026-11-27T11:30:37.327628+00:00');
CREATE TABLE free_block (
            container_id INTEGER NOT NULL REFERENCES prefix (id) ON DELETE CASCADE,
            plen INTEGER NOT NULL,
            net BLOB NOT NULL,
            PRIMARY KEY (container_id, plen, net)
        );
INSERT INTO free_block VALUES(1,17,X'0000000000000000000000000a408000');
INSERT INTO free_block VALUES(1,18,X'0000000000000000000000000a404000');
INSERT INTO free_block VALUES(1,19,X'0000000000000000000000000a402000');
INSERT INTO free_block VALUES(1,20,X'0000000000000000000000000a401000');
INSERT INTO free_block VALUES(1,22,X'0000000000000000000000000a400400');
INSERT INTO free_block VALUES(1,23,X'0000000000000000000000000a400200');
INSERT INTO free_block VALUES(1,24,X'0000000000000000000000000a400100');
INSERT INTO free_block VALUES(1,25,X'0000000000000000000000000a400080');
INSERT INTO free_block VALUES(2,25,X'0000000000000000000000000a400000');
INSERT INTO free_block VALUES(3,23,X'0000000000000000000000000a400e00');
INSERT INTO free_block VALUES(3,24,X'0000000000000000000000000a400900');
INSERT INTO free_block VALUES(4,24,X'0000000000000000000000000a400800');
INSERT INTO free_block VALUES(5,24,X'0000000000000000000000000a400b00');
INSERT INTO free_block VALUES(6,26,X'0000000000000000000000000a400a00');
INSERT INTO free_block VALUES(7,24,X'0000000000000000000000000a400d00');
INSERT INTO free_block VALUES(8,26,X'0000000000000000000000000a400c00');
INSERT INTO free_block VALUES(9,27,X'0000000000000000000000000a400a60');
INSERT INTO free_block VALUES(10,27,X'0000000000000000000000000a400a40');
INSERT INTO free_block VALUES(11,27,X'0000000000000000000000000a400aa0');
INSERT INTO free_block VALUES(12,27,X'0000000000000000000000000a400a80');
INSERT INTO free_block VALUES(13,27,X'0000000000000000000000000a400ae0');
INSERT INTO free_block VALUES(14,27,X'0000000000000000000000000a400ac0');
INSERT INTO free_block VALUES(15,27,X'0000000000000000000000000a400c60');
INSERT INTO free_block VALUES(16,27,X'0000000000000000000000000a400c40');
INSERT INTO free_block VALUES(17,27,X'0000000000000000000000000a400ca0');
INSERT INTO free_block VALUES(18,27,X'0000000000000000000000000a400c80');
INSERT INTO free_block VALUES(19,27,X'0000000000000000000000000a400ce0');
INSERT INTO free_block VALUES(20,27,X'0000000000000000000000000a400cc0');
INSERT INTO free_block VALUES(21,41,X'20010db8108000000000000000000000');
INSERT INTO free_block VALUES(21,42,X'20010db8104000000000000000000000');
INSERT INTO free_block VALUES(21,43,X'20010db8102000000000000000000000');
INSERT INTO free_block VALUES(21,45,X'20010db8100800000000000000000000');
INSERT INTO free_block VALUES(21,46,X'20010db8100400000000000000000000');
INSERT INTO free_block VALUES(21,47,X'20010db8100200000000000000000000');
INSERT INTO free_block VALUES(21,48,X'20010db8100100000000000000000000');
INSERT INTO free_block VALUES(21,49,X'20010db8100080000000000000000000');
INSERT INTO free_block VALUES(21,50,X'20010db8100040000000000000000000');
INSERT INTO free_block VALUES(21,51,X'20010db8100020000000000000000000');
INSERT INTO free_block VALUES(21,52,X'20010db8100010000000000000000000');
INSERT INTO free_block VALUES(21,53,X'20010db8100008000000000000000000');
INSERT INTO free_block VALUES(21,54,X'20010db8100004000000000000000000');
INSERT INTO free_block VALUES(21,55,X'20010db8100002000000000000000000');
INSERT INTO free_block VALUES(21,56,X'20010db8100001000000000000000000');
INSERT INTO free_block VALUES(22,57,X'20010db8100000800000000000000000');
INSERT INTO free_block VALUES(22,58,X'20010db8100000400000000000000000');
INSERT INTO free_block VALUES(22,59,X'20010db8100000200000000000000000');
INSERT INTO free_block VALUES(22,60,X'20010db8100000100000000000000000');
INSERT INTO free_block VALUES(22,61,X'20010db8100000080000000000000000');
INSERT INTO free_block VALUES(22,62,X'20010db8100000040000000000000000');
INSERT INTO free_block VALUES(22,63,X'20010db8100000020000000000000000');
INSERT INTO free_block VALUES(22,64,X'20010db8100000000000000000000000');
INSERT INTO free_block VALUES(23,64,X'20010db8100000010000000000000000');
INSERT INTO free_block VALUES(24,45,X'20010db8101800000000000000000000');
INSERT INTO free_block VALUES(24,46,X'20010db8101400000000000000000000');
INSERT INTO free_block VALUES(24,48,X'20010db8101300000000000000000000');
INSERT INTO free_block VALUES(24,49,X'20010db8101080000000000000000000');
INSERT INTO free_block VALUES(24,50,X'20010db8101040000000000000000000');
INSERT INTO free_block VALUES(24,51,X'20010db8101020000000000000000000');
INSERT INTO free_block VALUES(24,52,X'20010db8101010000000000000000000');
INSERT INTO free_block VALUES(24,53,X'20010db8101008000000000000000000');
INSERT INTO free_block VALUES(24,54,X'20010db8101004000000000000000000');
INSERT INTO free_block VALUES(24,55,X'20010db8101002000000000000000000');
INSERT INTO free_block VALUES(24,56,X'20010db8101001000000000000000000');
INSERT INTO free_block VALUES(25,57,X'20010db8101000800000000000000000');
INSERT INTO free_block VALUES(25,58,X'20010db8101000400000000000000000');
INSERT INTO free_block VALUES(25,59,X'20010db8101000200000000000000000');
INSERT INTO free_block VALUES(25,60,X'20010db8101000100000000000000000');
INSERT INTO free_block VALUES(25,61,X'20010db8101000080000000000000000');
INSERT INTO free_block VALUES(25,62,X'20010db8101000040000000000000000');
INSERT INTO free_block VALUES(25,63,X'20010db8101000000000000000000000');
INSERT INTO free_block VALUES(25,64,X'20010db8101000030000000000000000');
INSERT INTO free_block VALUES(26,64,X'20010db8101000020000000000000000');
INSERT INTO free_block VALUES(27,49,X'20010db8101180000000000000000000');
INSERT INTO free_block VALUES(27,50,X'20010db8101140000000000000000000');
INSERT INTO free_block VALUES(27,53,X'20010db8101108000000000000000000');
INSERT INTO free_block VALUES(27,54,X'20010db8101104000000000000000000');
INSERT INTO free_block VALUES(27,55,X'20010db8101102000000000000000000');
INSERT INTO free_block VALUES(27,56,X'20010db8101101000000000000000000');
INSERT INTO free_block VALUES(28,57,X'20010db8101100800000000000000000');
INSERT INTO free_block VALUES(28,58,X'20010db8101100400000000000000000');
INSERT INTO free_block VALUES(28,59,X'20010db8101100200000000000000000');
INSERT INTO free_block VALUES(28,60,X'20010db8101100100000000000000000');
INSERT INTO free_block VALUES(28,61,X'20010db8101100080000000000000000');
INSERT INTO free_block VALUES(28,62,X'20010db8101100040000000000000000');
INSERT INTO free_block VALUES(28,63,X'20010db8101100000000000000000000');
INSERT INTO free_block VALUES(28,64,X'20010db8101100030000000000000000');
INSERT INTO free_block VALUES(29,64,X'20010db8101100020000000000000000');
INSERT INTO free_block VALUES(30,49,X'20010db8101280000000000000000000');
INSERT INTO free_block VALUES(30,50,X'20010db8101240000000000000000000');
INSERT INTO free_block VALUES(30,53,X'20010db8101208000000000000000000');
INSERT INTO free_block VALUES(30,54,X'20010db8101204000000000000000000');
INSERT INTO free_block VALUES(30,55,X'20010db8101202000000000000000000');
INSERT INTO free_block VALUES(30,56,X'20010db8101201000000000000000000');
INSERT INTO free_block VALUES(31,57,X'20010db8101200800000000000000000');
INSERT INTO free_block VALUES(31,58,X'20010db8101200400000000000000000');
INSERT INTO free_block VALUES(31,59,X'20010db8101200200000000000000000');
INSERT INTO free_block VALUES(31,60,X'20010db8101200100000000000000000');
INSERT INTO free_block VALUES(31,61,X'20010db8101200080000000000000000');
INSERT INTO free_block VALUES(31,62,X'20010db8101200040000000000000000');
INSERT INTO free_block VALUES(31,63,X'20010db8101200000000000000000000');
INSERT INTO free_block VALUES(31,64,X'20010db8101200030000000000000000');
INSERT INTO free_block VALUES(32,64,X'20010db8101200020000000000000000');
INSERT INTO free_block VALUES(33,53,X'20010db8101118000000000000000000');
INSERT INTO free_block VALUES(33,54,X'20010db8101114000000000000000000');
INSERT INTO free_block VALUES(33,55,X'20010db8101112000000000000000000');
INSERT INTO free_block VALUES(33,56,X'20010db8101111000000000000000000');
INSERT INTO free_block VALUES(34,57,X'20010db8101110800000000000000000');
INSERT INTO free_block VALUES(34,58,X'20010db8101110400000000000000000');
INSERT INTO free_block VALUES(34,59,X'20010db8101110200000000000000000');
INSERT INTO free_block VALUES(34,60,X'20010db8101110100000000000000000');
INSERT INTO free_block VALUES(34,61,X'20010db8101110080000000000000000');
INSERT INTO free_block VALUES(34,62,X'20010db8101110040000000000000000');
INSERT INTO free_block VALUES(34,63,X'20010db8101110000000000000000000');
INSERT INTO free_block VALUES(34,64,X'20010db8101110030000000000000000');
INSERT INTO free_block VALUES(35,64,X'20010db8101110020000000000000000');
INSERT INTO free_block VALUES(36,53,X'20010db8101128000000000000000000');
INSERT INTO free_block VALUES(36,54,X'20010db8101124000000000000000000');
INSERT INTO free_block VALUES(36,55,X'20010db8101122000000000000000000');
INSERT INTO free_block VALUES(36,56,X'20010db8101121000000000000000000');
INSERT INTO free_block VALUES(37,57,X'20010db8101120800000000000000000');
INSERT INTO free_block VALUES(37,58,X'20010db8101120400000000000000000');
INSERT INTO free_block VALUES(37,59,X'20010db8101120200000000000000000');
INSERT INTO free_block VALUES(37,60,X'20010db8101120100000000000000000');
INSERT INTO free_block VALUES(37,61,X'20010db8101120080000000000000000');
INSERT INTO free_block VALUES(37,62,X'20010db8101120040000000000000000');
INSERT INTO free_block VALUES(37,63,X'20010db8101120000000000000000000');
INSERT INTO free_block VALUES(37,64,X'20010db8101120030000000000000000');
INSERT INTO free_block VALUES(38,64,X'20010db8101120020000000000000000');
INSERT INTO free_block VALUES(39,53,X'20010db8101138000000000000000000');
INSERT INTO free_block VALUES(39,54,X'20010db8101134000000000000000000');
INSERT INTO free_block VALUES(39,55,X'20010db8101132000000000000000000');
INSERT INTO free_block VALUES(39,56,X'20010db8101131000000000000000000');
INSERT INTO free_block VALUES(40,57,X'20010db8101130800000000000000000');
INSERT INTO free_block VALUES(40,58,X'20010db8101130400000000000000000');
INSERT INTO free_block VALUES(40,59,X'20010db8101130200000000000000000');
INSERT INTO free_block VALUES(40,60,X'20010db8101130100000000000000000');
INSERT INTO free_block VALUES(40,61,X'20010db8101130080000000000000000');
INSERT INTO free_block VALUES(40,62,X'20010db8101130040000000000000000');
INSERT INTO free_block VALUES(40,63,X'20010db8101130000000000000000000');
INSERT INTO free_block VALUES(40,64,X'20010db8101130030000000000000000');
INSERT INTO free_block VALUES(41,64,X'20010db8101130020000000000000000');
INSERT INTO free_block VALUES(42,53,X'20010db8101218000000000000000000');
INSERT INTO free_block VALUES(42,54,X'20010db8101214000000000000000000');
INSERT INTO free_block VALUES(42,55,X'20010db8101212000000000000000000');
INSERT INTO free_block VALUES(42,56,X'20010db8101211000000000000000000');
INSERT INTO free_block VALUES(43,57,X'20010db8101210800000000000000000');
INSERT INTO free_block VALUES(43,58,X'20010db8101210400000000000000000');
INSERT INTO free_block VALUES(43,59,X'20010db8101210200000000000000000');
INSERT INTO free_block VALUES(43,60,X'20010db8101210100000000000000000');
INSERT INTO free_block VALUES(43,61,X'20010db8101210080000000000000000');
INSERT INTO free_block VALUES(43,62,X'20010db8101210040000000000000000');
INSERT INTO free_block VALUES(43,63,X'20010db8101210000000000000000000');
INSERT INTO free_block VALUES(43,64,X'20010db8101210030000000000000000');
INSERT INTO free_block VALUES(44,64,X'20010db8101210020000000000000000');
INSERT INTO free_block VALUES(45,53,X'20010db8101228000000000000000000');
INSERT INTO free_block VALUES(45,54,X'20010db8101224000000000000000000');
INSERT INTO free_block VALUES(45,55,X'20010db8101222000000000000000000');
INSERT INTO free_block VALUES(45,56,X'20010db8101221000000000000000000');
INSERT INTO free_block VALUES(46,57,X'20010db8101220800000000000000000');
INSERT INTO free_block VALUES(46,58,X'20010db8101220400000000000000000');
INSERT INTO free_block VALUES(46,59,X'20010db8101220200000000000000000');
INSERT INTO free_block VALUES(46,60,X'20010db8101220100000000000000000');
INSERT INTO free_block VALUES(46,61,X'20010db8101220080000000000000000');
INSERT INTO free_block VALUES(46,62,X'20010db8101220040000000000000000');
INSERT INTO free_block VALUES(46,63,X'20010db8101220000000000000000000');
INSERT INTO free_block VALUES(46,64,X'20010db8101220030000000000000000');
INSERT INTO free_block VALUES(47,64,X'20010db8101220020000000000000000');
INSERT INTO free_block VALUES(48,53,X'20010db8101238000000000000000000');
INSERT INTO free_block VALUES(48,54,X'20010db8101234000000000000000000');
INSERT INTO free_block VALUES(48,55,X'20010db8101232000000000000000000');
INSERT INTO free_block VALUES(48,56,X'20010db8101231000000000000000000');
INSERT INTO free_block VALUES(49,57,X'20010db8101230800000000000000000');
INSERT INTO free_block VALUES(49,58,X'20010db8101230400000000000000000');
INSERT INTO free_block VALUES(49,59,X'20010db8101230200000000000000000');
INSERT INTO free_block VALUES(49,60,X'20010db8101230100000000000000000');
INSERT INTO free_block VALUES(49,61,X'20010db8101230080000000000000000');
INSERT INTO free_block VALUES(49,62,X'20010db8101230040000000000000000');
INSERT INTO free_block VALUES(49,63,X'20010db8101230000000000000000000');
INSERT INTO free_block VALUES(49,64,X'20010db8101230030000000000000000');
INSERT INTO free_block VALUES(50,64,X'20010db8101230020000000000000000');
INSERT INTO free_block VALUES(51,17,X'000000000000000000000000ac108000');
INSERT INTO free_block VALUES(51,18,X'000000000000000000000000ac104000');
INSERT INTO free_block VALUES(51,19,X'000000000000000000000000ac102000');
INSERT INTO free_block VALUES(51,20,X'000000000000000000000000ac101000');
INSERT INTO free_block VALUES(51,21,X'000000000000000000000000ac100800');
INSERT INTO free_block VALUES(51,22,X'000000000000000000000000ac100400');
INSERT INTO free_block VALUES(51,23,X'000000000000000000000000ac100200');
INSERT INTO free_block VALUES(52,24,X'000000000000000000000000ac100000');
INSERT INTO free_block VALUES(51,25,X'000000000000000000000000ac100180');
INSERT INTO free_block VALUES(53,26,X'000000000000000000000000ac100100');
INSERT INTO free_block VALUES(54,26,X'000000000000000000000000ac100140');
CREATE TABLE ip_address (
            id INTEGER PRIMARY KEY,
            vrf_id INTEGER NOT NULL REFERENCES vrf (id),
            family INTEGER NOT NULL,
            addr BLOB NOT NULL,
            prefix_id INTEGER NOT NULL REFERENCES prefix (id),
            hostname TEXT,
            description TEXT,
            status TEXT NOT NULL DEFAULT 'active',
            created_at TEXT NOT NULL,
            UNIQUE (vrf_id, family, addr)
        );
INSERT INTO ip_address VALUES(1,2,4,X'000000000000000000000000ac100142',54,'nvr-01',NULL,'active','2026-11-27T11:30:37.328214+00:00');
INSERT INTO ip_address VALUES(2,2,4,X'000000000000000000000000ac100143',54,'nvr-01',NULL,'active','2026-11-27T11:30:37.328214+00:00');
INSERT INTO ip_address VALUES(3,2,4,X'000000000000000000000000ac100144',54,'nvr-01',NULL,'active','2026-11-27T11:30:37.328214+00:00');
CREATE TABLE prefix_pair (
            v4_id INTEGER PRIMARY KEY REFERENCES prefix (id) ON DELETE CASCADE,
            v6_id INTEGER NOT NULL UNIQUE REFERENCES prefix (id) ON DELETE CASCADE
        );
INSERT INTO prefix_pair VALUES(2,23);
INSERT INTO prefix_pair VALUES(4,26);
INSERT INTO prefix_pair VALUES(6,29);
INSERT INTO prefix_pair VALUES(8,32);
INSERT INTO prefix_pair VALUES(10,35);
INSERT INTO prefix_pair VALUES(12,38);
INSERT INTO prefix_pair VALUES(14,41);
INSERT INTO prefix_pair VALUES(16,44);
INSERT INTO prefix_pair VALUES(18,47);
INSERT INTO prefix_pair VALUES(20,50);
CREATE INDEX org_unit_parent ON org_unit (parent_id);
CREATE INDEX org_unit_name ON org_unit (name);
CREATE INDEX org_unit_path ON org_unit (path);
CREATE INDEX org_unit_level ON org_unit (level);
CREATE INDEX audit_object ON audit (object_type, object_ref)
        ;
CREATE INDEX prefix_parent ON prefix (parent_id, net);
CREATE INDEX prefix_parent_status ON prefix (parent_id, status);
CREATE INDEX prefix_org ON prefix (org_id);
CREATE INDEX free_block_addr ON free_block (container_id, net);
CREATE INDEX ip_address_prefix ON ip_address (prefix_id, addr)
        ;
COMMIT;
