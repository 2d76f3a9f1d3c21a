-- MySQL dump 10.13  Distrib 5.7.42, for Linux (x86_64)
--
-- Host: localhost    Database: asteriskcdrdb
-- ------------------------------------------------------
-- Server version	5.7.42

/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES utf8 */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;

--
-- Table structure for table `cdr`
--

DROP TABLE IF EXISTS `cdr`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `cdr` (
  `calldate` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `clid` varchar(80) NOT NULL DEFAULT '',
  `src` varchar(80) NOT NULL DEFAULT '',
  `dst` varchar(80) NOT NULL DEFAULT '',
  `dcontext` varchar(80) NOT NULL DEFAULT '',
  `channel` varchar(80) NOT NULL DEFAULT '',
  `dstchannel` varchar(80) NOT NULL DEFAULT '',
  `lastapp` varchar(80) NOT NULL DEFAULT '',
  `lastdata` varchar(80) NOT NULL DEFAULT '',
  `duration` int(11) NOT NULL DEFAULT '0',
  `billsec` int(11) NOT NULL DEFAULT '0',
  `disposition` varchar(80) NOT NULL DEFAULT '',
  `amaflags` int(11) NOT NULL DEFAULT '0',
  `accountcode` varchar(80) NOT NULL DEFAULT '',
  `uniqueid` varchar(80) NOT NULL DEFAULT '',
  `userfield` varchar(80) NOT NULL DEFAULT '',
  `did` varchar(80) NOT NULL DEFAULT '',
  `recordingfile` varchar(80) NOT NULL DEFAULT '',
  `cnum` varchar(80) NOT NULL DEFAULT '',
  `cnam` varchar(80) NOT NULL DEFAULT '',
  `outbound_cnum` varchar(80) NOT NULL DEFAULT '',
  `outbound_cnam` varchar(80) NOT NULL DEFAULT '',
  `dst_cnam` varchar(80) NOT NULL DEFAULT '',
  `linkedid` varchar(80) NOT NULL DEFAULT '',
  `peeraccount` varchar(80) NOT NULL DEFAULT '',
  `sequence` int(11) NOT NULL DEFAULT '0',
  KEY `calldate` (`calldate`),
  KEY `uniqueid` (`uniqueid`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
/*!40101 SET character_set_client = @saved_cs_client */;

--
-- Dumping data for table `cdr`
--

LOCK TABLES `cdr` WRITE;
/*!40000 ALTER TABLE `cdr` DISABLE KEYS */;
INSERT INTO `cdr` VALUES ('2026-10-01 10:00:00','\"Client\" <89720123456>','89720123456','600','ext-queues','SIP/trunk-00000001','SIP/101-00000002','Queue','600,t,,,300',15,0,'NO ANSWER',3,'','1790838000.1','','74950011111','','','','','','','1790838000.1','',1),('2026-10-01 10:00:15','\"Client\" <89720123456>','89720123456','600','ext-queues','SIP/trunk-00000001','SIP/104-00000004','Queue','600,t,,,300',205,180,'ANSWERED',3,'','1790838015.2','','74950011111','','','','','','Ð‘ÐµÐ»Ð¾Ð²Ð° ÐœÐ°Ñ€Ð¸Ð½Ð°','1790838000.1','',2),('2026-10-01 12:00:00','\"ÐžÑ€Ð»Ð¾Ð²Ð°\" <101>','101','89750001111','from-internal','SIP/101-00000005','SIP/trunk-00000006','Dial','SIP/trunk/89750001111,300,T',130,120,'ANSWERED',3,'','1790845200.5','','','out-89750001111-101-20261001-120000.wav','101','ÐžÑ€Ð»Ð¾Ð²Ð°','','','','1790845200.5','',3),('2026-10-01 13:00:00','\"O\'Neil\" <102>','102','103','from-internal','SIP/102-00000007','SIP/103-00000008','Dial','SIP/103,20,tT',65,60,'ANSWERED',3,'','1790848800.7','it\'s a \\ test;\nsecond line','','','','','','','','1790848800.7','',4),('1000-01-01 00:00:00','test call, ignore','','','','','','','',0,0,'NO ANSWER',3,'','','','','','','','','','','','',0),('0000-00-00 00:00:00','','','','','','','','',0,0,'',3,'','','','','','','','','','','','',0);
INSERT INTO `cdr` VALUES ('2026-10-01 11:00:00','\"\" <84950023456>','84950023456','600','ext-queues','SIP/trunk-00000009','SIP/101-0000000a','Queue','600,t,,,300',20,0,'NO ANSWER',3,'','1790841600.3','','74950011111','','','','','','','1790841600.3','',5);
/*!40000 ALTER TABLE `cdr` ENABLE KEYS */;
UNLOCK TABLES;

DROP TABLE IF EXISTS `cel`;
CREATE TABLE `cel` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `eventtype` varchar(30) NOT NULL,
  `eventtime` datetime NOT NULL,
  `uniqueid` varchar(150) NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
LOCK TABLES `cel` WRITE;
INSERT INTO `cel` VALUES (1,'CHAN_START','2026-10-01 10:00:00','1790838000.1'),(2,'ANSWER','2026-10-01 10:00:40','1790838000.1'),(3,'HANGUP','2026-10-01 10:03:40','1790838000.1');
UNLOCK TABLES;

DROP TABLE IF EXISTS `queuelog`;
CREATE TABLE `queuelog` (
  `id` int(11) NOT NULL,
  `time` varchar(40) DEFAULT NULL,
  `callid` varchar(40) DEFAULT NULL,
  `queuename` varchar(40) DEFAULT NULL,
  `agent` varchar(40) DEFAULT NULL,
  `event` varchar(40) DEFAULT NULL,
  `data1` varchar(40) DEFAULT NULL,
  `data2` varchar(40) DEFAULT NULL,
  `data3` varchar(40) DEFAULT NULL,
  `data4` varchar(40) DEFAULT NULL,
  `data5` varchar(40) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8;
LOCK TABLES `queuelog` WRITE;
INSERT INTO `queuelog` VALUES (1,'2026-10-01 09:00:00','NONE','NONE','NONE','QUEUESTART','','','','',''),(2,'2026-10-01 09:00:05','NONE','600','SIP/101','ADDMEMBER','','','','',''),(3,'2026-10-01 09:00:06','NONE','600','Ð‘ÐµÐ»Ð¾Ð²Ð° ÐœÐ°Ñ€Ð¸Ð½Ð°','ADDMEMBER','','','','',''),(4,'2026-10-01 10:00:00','1790838000.1','600','NONE','ENTERQUEUE','','89720123456','1','',''),(5,'2026-10-01 10:00:15','1790838000.1','600','SIP/101','RINGNOANSWER','15000','','','',''),(6,'2026-10-01 10:00:40','1790838000.1','600','Ð‘ÐµÐ»Ð¾Ð²Ð° ÐœÐ°Ñ€Ð¸Ð½Ð°','CONNECT','40','1790838015.2','25','',''),(7,'2026-10-01 10:03:40','1790838000.1','600','Ð‘ÐµÐ»Ð¾Ð²Ð° ÐœÐ°Ñ€Ð¸Ð½Ð°','COMPLETECALLER','40','180','1','',''),(8,'2026-10-01 11:00:00','1790841600.3','600','NONE','ENTERQUEUE','','84950023456','1','',''),(9,'2026-10-01 11:00:20','1790841600.3','600','NONE','ABANDON','1','1','20','','');
UNLOCK TABLES;

DROP TABLE IF EXISTS `replicate_cdr`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
/*!40101 SET character_set_client = utf8 */;
CREATE TABLE `replicate_cdr` (
  `calldate` datetime NOT NULL DEFAULT '0000-00-00 00:00:00',
  `clid` varchar(80) NOT NULL DEFAULT '',
  `src` varchar(80) NOT NULL DEFAULT '',
  `dst` varchar(80) NOT NULL DEFAULT '',
  `dcontext` varchar(80) NOT NULL DEFAULT '',
  `channel` varchar(80) NOT NULL DEFAULT '',
  `dstchannel` varchar(80) NOT NULL DEFAULT '',
  `lastapp` varchar(80) NOT NULL DEFAULT '',
  `lastdata` varchar(80) NOT NULL DEFAULT '',
  `duration` int(11) NOT NULL DEFAULT '0',
  `billsec` int(11) NOT NULL DEFAULT '0',
  `disposition` varchar(80) NOT NULL DEFAULT '',
  `amaflags` int(11) NOT NULL DEFAULT '0',
  `accountcode` varchar(80) NOT NULL DEFAULT '',
  `uniqueid` varchar(80) NOT NULL DEFAULT '',
  `userfield` varchar(80) NOT NULL DEFAULT '',
  `did` varchar(80) NOT NULL DEFAULT '',
  `recordingfile` varchar(80) NOT NULL DEFAULT '',
  `cnum` varchar(80) NOT NULL DEFAULT '',
  `cnam` varchar(80) NOT NULL DEFAULT '',
  `outbound_cnum` varchar(80) NOT NULL DEFAULT '',
  `outbound_cnam` varchar(80) NOT NULL DEFAULT '',
  `dst_cnam` varchar(80) NOT NULL DEFAULT '',
  `linkedid` varchar(80) NOT NULL DEFAULT '',
  `peeraccount` varchar(80) NOT NULL DEFAULT '',
  `sequence` int(11) NOT NULL DEFAULT '0',
  KEY `calldate` (`calldate`),
  KEY `uniqueid` (`uniqueid`)
) ENGINE=MyISAM DEFAULT CHARSET=latin1;
/*!40101 SET character_set_client = @saved_cs_client */;

LOCK TABLES `replicate_cdr` WRITE;
INSERT INTO `replicate_cdr` VALUES ('2026-10-01 10:00:00','\"Client\" <89720123456>','89720123456','600','ext-queues','SIP/trunk-00000001','SIP/101-00000002','Queue','600,t,,,300',15,0,'NO ANSWER',3,'','1790838000.1','','74950011111','','','','','','','1790838000.1','',1),('2026-10-01 10:00:15','\"Client\" <89720123456>','89720123456','600','ext-queues','SIP/trunk-00000001','SIP/104-00000004','Queue','600,t,,,300',205,180,'ANSWERED',3,'','1790838015.2','','74950011111','','','','','','Ð‘ÐµÐ»Ð¾Ð²Ð° ÐœÐ°Ñ€Ð¸Ð½Ð°','1790838000.1','',2);
UNLOCK TABLES;

/*!50003 SET @saved_cs_client      = @@character_set_client */ ;
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER `cdr_copy` AFTER INSERT ON `cdr` FOR EACH ROW INSERT INTO replicate_cdr VALUES (new.calldate, new.clid, new.src, new.dst, new.dcontext, new.channel, new.dstchannel, new.lastapp, new.lastdata, new.duration, new.billsec, new.disposition, new.amaflags, new.accountcode, new.uniqueid, new.userfield, new.did, new.recordingfile, new.cnum, new.cnam, new.outbound_cnum, new.outbound_cnam, new.dst_cnam, new.linkedid, new.peeraccount, new.sequence) */;;
DELIMITER ;

DELIMITER ;;
CREATE DEFINER=`root`@`localhost` PROCEDURE `fill_cdr`()
BEGIN
  INSERT INTO cdr (calldate, src, dst, disposition, billsec) VALUES (NOW(), '999', '998', 'ANSWERED', 1);
END ;;
DELIMITER ;

/*!40101 SET CHARACTER_SET_CLIENT=@OLD_CHARACTER_SET_CLIENT */;

-- Dump completed on 2026-10-02  3:00:01
